import { Directive, Field, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CacheHint } from "../src/cache/hints";

/** One post of a live blog. Exposed with a global ID by LiveEntryResolver.id. */
@Directive(CacheHint.liveBlog)
@ObjectType({ simpleResolvers: true, description: "One entry of a live blog." })
@Entity({ name: "live_entry" })
export class LiveEntry {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: "article_id", type: "int" })
  articleId!: number;

  @Field({ description: "The entry's text." })
  @Column({ type: "text" })
  text!: string;

  @Field({ description: "Pinned entries come before all others, newest first among themselves." })
  @Column({ type: "smallint", default: 0 })
  pinned!: boolean;

  @Column({ name: "author_id", type: "int", nullable: true })
  authorId!: number | null;

  @Field(() => Date, { description: "When the entry was posted (UTC)." })
  @Column({ name: "posted_at", type: "datetime" })
  postedAt!: Date;

  @Field(() => Date, { description: "When the entry was last changed (UTC); its posting time until it is edited." })
  @Column({ name: "updated_at", type: "datetime" })
  updatedAt!: Date;
}
