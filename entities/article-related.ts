import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** An editorial "read also" edge; position keeps the page's order. */
@Entity({ name: "article_related" })
@Index("article_related_related", ["relatedId"])
export class ArticleRelated {
  @PrimaryColumn({ name: "article_id", type: "int" })
  articleId!: number;

  @PrimaryColumn({ name: "related_id", type: "int" })
  relatedId!: number;

  @Column({ type: "int" })
  position!: number;
}
