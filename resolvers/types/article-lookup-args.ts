import { ArgsType, Field, ID } from "type-graphql";

@ArgsType()
export class ArticleLookupArgs {
  @Field(() => ID, { nullable: true, description: "Global ID." })
  id?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: "Path of the article's page, e.g. /2025/09/25/some-slug." })
  path?: string | null;
}
