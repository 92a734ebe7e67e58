import { Directive, Field, Int, ObjectType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CacheHint } from "../src/cache/hints";
import { Node } from "./node";

/**
 * An uploaded picture. The original is kept once in the media store under
 * its SHA-256 (the same bytes uploaded twice are one image); renditions
 * are made from it on demand (src/media).
 */
@Directive(CacheHint.content)
@ObjectType({ simpleResolvers: true, implements: Node, description: "A picture: the original's size and type, its texts and focal point, and URLs of its renditions." })
@Entity({ name: "image" })
export class Image {
  @PrimaryGeneratedColumn()
  id!: number;

  /** SHA-256 of the original's bytes, hex: its key in the media store and what makes uploads idempotent. */
  @Column({ name: "content_hash", type: "varchar", length: 64, unique: true })
  contentHash!: string;

  @Field({ description: "MIME type of the original: image/jpeg, image/png, image/webp or image/avif." })
  @Column({ name: "content_type", type: "varchar", length: 32 })
  contentType!: string;

  @Field(() => Int, { description: "Width of the original in pixels, upright." })
  @Column({ type: "int" })
  width!: number;

  @Field(() => Int, { description: "Height of the original in pixels, upright." })
  @Column({ type: "int" })
  height!: number;

  @Field(() => Int, { description: "Size of the original in bytes." })
  @Column({ name: "byte_size", type: "int" })
  byteSize!: number;

  @Field(() => String, { nullable: true, description: "Alternative text for readers who cannot see the picture." })
  @Column({ type: "varchar", length: 1000, nullable: true })
  alt!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "text", nullable: true })
  caption!: string | null;

  /** The image's own credit; the GraphQL field falls back to the article's photoCredit. */
  @Column({ type: "varchar", length: 255, nullable: true })
  credit!: string | null;

  @Column({ name: "focal_x", type: "double" })
  focalX!: number;

  @Column({ name: "focal_y", type: "double" })
  focalY!: number;

  @Field(() => Date, { description: "Upload time (UTC)." })
  @Column({ name: "created_at", type: "datetime" })
  createdAt!: Date;

  @Column({ name: "updated_at", type: "datetime" })
  updatedAt!: Date;

  /** Not stored: the photoCredit of the article whose main image this was reached as. */
  articleCredit?: string | null;
}
