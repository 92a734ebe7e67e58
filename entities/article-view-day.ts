import { Column, Entity, PrimaryColumn } from "typeorm";

/** Views of one article on one UTC day; windowed "popular" sums these. */
@Entity({ name: "article_view_day" })
export class ArticleViewDay {
  @PrimaryColumn({ name: "article_id", type: "int" })
  articleId!: number;

  /** YYYY-MM-DD (UTC). */
  @PrimaryColumn({ type: "varchar", length: 10 })
  day!: string;

  @Column({ type: "int", default: 0 })
  views!: number;
}
