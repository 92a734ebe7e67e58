import { IsEmail, Length, Matches, MaxLength } from "class-validator";
import { Field, InputType } from "type-graphql";

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

// The update input carries every field and its rules; the create input
// inherits them and only makes the name required.
@InputType({ description: "Fields to change; absent fields stay as they are." })
export class UpdateAuthorInput {
  @Field(() => String, { nullable: true })
  @Length(1, 255)
  @Matches(/\S/, { message: "name must contain a visible character" })
  name?: string | null;

  @Field(() => String, { nullable: true, description: "URL name; a new author's defaults to the transliterated name." })
  @MaxLength(80)
  @Matches(SLUG, { message: "slug must be lower-case latin letters and digits separated by single hyphens" })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(255)
  @IsEmail()
  email?: string | null;
}

@InputType()
export class CreateAuthorInput extends UpdateAuthorInput {
  @Field(() => String)
  declare name: string;
}
