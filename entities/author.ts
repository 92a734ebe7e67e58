import { Directive, Field, ObjectType } from "type-graphql";
import { Node } from "./node";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CacheHint } from "../src/cache/hints";

// A federation entity: other subgraphs extend it by its global ID.
@Directive('@key(fields: "id")')
@Directive(CacheHint.content)
@ObjectType({ simpleResolvers: true, implements: Node, description: "A person who writes articles." })
@Entity({ name: "author" })
export class Author {
  // Exposed as a global ID by AuthorResolver.id.
  @PrimaryGeneratedColumn()
  id!: number;

  @Field()
  @Column({ type: "varchar", length: 255 })
  name!: string;

  @Field()
  @Column({ type: "varchar", length: 191, unique: true })
  slug!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 255, nullable: true })
  email!: string | null;
}
