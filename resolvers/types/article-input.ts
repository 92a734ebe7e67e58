import { ArrayMaxSize, IsIn, Length, Matches, MaxLength, NotContains } from "class-validator";
import { Field, ID, InputType } from "type-graphql";
import { SITE_LANGUAGES } from "../../src/text/language";

// The update input carries every field and its rules; the create input
// inherits them and only makes the title required. Messages never quote
// the value ($value): errors go back to clients and into logs.
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

@InputType({ description: "Fields to change; absent fields stay as they are, null clears an optional one." })
export class UpdateArticleInput {
  @Field(() => String, { nullable: true })
  @Length(1, 1000)
  @Matches(/\S/, { message: "title must contain a visible character" })
  title?: string | null;

  @Field(() => String, { nullable: true, description: "URL name; a new article's defaults to the transliterated title." })
  @MaxLength(80)
  @Matches(SLUG, { message: "slug must be lower-case latin letters and digits separated by single hyphens" })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(5000)
  lead?: string | null;

  @Field(() => [String], { nullable: true, description: "Body paragraphs, in order." })
  @ArrayMaxSize(500)
  @MaxLength(20000, { each: true })
  @NotContains("\n\n", { each: true, message: "each paragraph must be a single paragraph (no blank line inside)" })
  paragraphs?: string[] | null;

  @Field(() => ID, { nullable: true })
  authorId?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(255)
  photoCredit?: string | null;

  @Field(() => String, { nullable: true, description: "ru (a new article's default), kk or en." })
  @IsIn([...SITE_LANGUAGES])
  language?: string | null;

  @Field(() => Date, { nullable: true, description: "Publication time (UTC); publishArticle uses now when absent." })
  publishedAt?: Date | null;
}

@InputType({ description: "A new article; it starts as a draft." })
export class CreateArticleInput extends UpdateArticleInput {
  @Field(() => String)
  declare title: string;
}
