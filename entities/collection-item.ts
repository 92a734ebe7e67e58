import { Column, Entity, PrimaryColumn } from "typeorm";

@Entity({ name: "collection_item" })
export class CollectionItem {
  @PrimaryColumn({ name: "collection_id", type: "int" })
  collectionId!: number;

  @PrimaryColumn({ type: "int" })
  position!: number;

  @Column({ name: "article_id", type: "int" })
  articleId!: number;
}
