import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** An article's main image (slot MAIN, position 0) or one of its body images (slot BODY), in order. */
@Entity({ name: "article_image" })
@Index("article_image_by_image", ["imageId"])
export class ArticleImage {
  @PrimaryColumn({ name: "article_id", type: "int" })
  articleId!: number;

  @PrimaryColumn({ type: "varchar", length: 8 })
  slot!: "MAIN" | "BODY";

  @PrimaryColumn({ type: "int" })
  position!: number;

  @Column({ name: "image_id", type: "int" })
  imageId!: number;
}
