import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** An article's rubric or hashtag, in the order the page lists them. */
@Entity({ name: "article_tag" })
@Index("article_tag_tag", ["tagId", "articleId"])
export class ArticleTag {
  @PrimaryColumn({ name: "article_id", type: "int" })
  articleId!: number;

  @PrimaryColumn({ name: "tag_id", type: "int" })
  tagId!: number;

  @Column({ type: "int" })
  position!: number;
}
