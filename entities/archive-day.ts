import { Column, Entity, PrimaryColumn } from "typeorm";

/**
 * Count of published articles per UTC day. Every write that publishes,
 * unpublishes, deletes or re-dates an article keeps it current in the same
 * transaction, so the archive is answered without scanning articles.
 */
@Entity({ name: "archive_day" })
export class ArchiveDay {
  @PrimaryColumn({ type: "int" })
  year!: number;

  @PrimaryColumn({ type: "int" })
  month!: number;

  @PrimaryColumn({ type: "int" })
  day!: number;

  @Column({ name: "article_count", type: "int" })
  articleCount!: number;
}
