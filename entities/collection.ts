import { Directive, Field, ObjectType } from "type-graphql";
import { Node } from "./node";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CacheHint } from "../src/cache/hints";

@Directive(CacheHint.content)
@ObjectType({ simpleResolvers: true, implements: Node, description: "A named, ordered, dated list of articles, such as the site's own popular list." })
@Entity({ name: "collection" })
export class Collection {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field()
  @Column({ type: "varchar", length: 191, unique: true })
  slug!: string;

  @Field()
  @Column({ type: "varchar", length: 255 })
  name!: string;

  @Field(() => Date, { nullable: true, description: "When the list was captured (the page date it came from)." })
  @Column({ name: "captured_at", type: "datetime", nullable: true })
  capturedAt!: Date | null;
}
