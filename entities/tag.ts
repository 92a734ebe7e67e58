import { Directive, Field, ObjectType } from "type-graphql";
import { Node } from "./node";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { TagKind } from "./enums";
import { CacheHint } from "../src/cache/hints";

// A federation entity: other subgraphs extend it by its global ID.
@Directive('@key(fields: "id")')
@Directive(CacheHint.content)
@ObjectType({ simpleResolvers: true, implements: Node, description: "A rubric (site section) or a hashtag." })
@Entity({ name: "tag" })
@Index("tag_kind_slug", ["kind", "slug"], { unique: true })
export class Tag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field(() => TagKind)
  @Column({ type: "varchar", length: 16 })
  kind!: TagKind;

  @Field()
  @Column({ type: "varchar", length: 255 })
  name!: string;

  @Field()
  @Column({ type: "varchar", length: 191 })
  slug!: string;
}
