import { Directive, Field, Int, ObjectType } from "type-graphql";
import { Node } from "./node";
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { ArticleStatus } from "./enums";
import { CacheHint } from "../src/cache/hints";

/** Paragraphs are stored in one column, separated by a blank line (they never contain one). */
export const PARAGRAPH_SEPARATOR = "\n\n";

// A federation entity: other subgraphs extend it by its global ID.
@Directive('@key(fields: "id")')
@Directive(CacheHint.content)
@ObjectType({ simpleResolvers: true, implements: Node, description: "A news article." })
@Entity({ name: "article" })
@Index("article_status_published", ["status", "publishedAt"])
export class Article {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field({ description: "URL-safe name, unique on the site." })
  @Column({ type: "varchar", length: 191, unique: true })
  slug!: string;

  @Field({ description: "Path of the article's page on the site." })
  @Column({ type: "varchar", length: 191, unique: true })
  path!: string;

  @Field()
  @Column({ type: "varchar", length: 1000 })
  title!: string;

  /** The title folded for matching (case, ё/е, quotes, white space); see src/text/fold.ts. */
  @Index("article_title_key")
  @Column({ name: "title_key", type: "varchar", length: 191 })
  titleKey!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  lead!: string | null;

  @Column({ type: "text", nullable: true })
  body!: string | null;

  @Field(() => Date, { nullable: true, description: "Publication time (UTC)." })
  @Column({ name: "published_at", type: "datetime", nullable: true })
  publishedAt!: Date | null;

  @Field(() => ArticleStatus)
  @Column({ type: "varchar", length: 16 })
  status!: ArticleStatus;

  @Directive(CacheHint.live)
  @Field(() => Int, { description: "Page views counted so far." })
  @Column({ type: "int", default: 0 })
  views!: number;

  @Field(() => String, { nullable: true, description: 'Source of the main photo, as in "Фото: gov.kz".' })
  @Column({ name: "photo_credit", type: "varchar", length: 255, nullable: true })
  photoCredit!: string | null;

  @Field({ description: "ISO 639-1 language code of the text." })
  @Column({ type: "varchar", length: 8, default: "ru" })
  language!: string;

  @Column({ name: "author_id", type: "int", nullable: true })
  authorId!: number | null;

  @Column({ name: "created_at", type: "datetime" })
  createdAt!: Date;

  @Column({ name: "updated_at", type: "datetime" })
  updatedAt!: Date;

  /** Set when an editor deletes the article; readers never see it again. */
  @Column({ name: "deleted_at", type: "datetime", nullable: true })
  deletedAt!: Date | null;

  /** Body paragraphs, in order; the schema's `paragraphs` (resolvers/article.resolver.ts) also loads a body a list left out. */
  get paragraphs(): string[] {
    return this.body ? this.body.split(PARAGRAPH_SEPARATOR) : [];
  }
}
