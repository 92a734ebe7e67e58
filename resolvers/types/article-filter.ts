import { Field, InputType, Int } from "type-graphql";
import { TagKind } from "../../entities";

@InputType({ description: "A rubric or hashtag named by kind and slug." })
export class TagRefInput {
  @Field(() => TagKind)
  kind!: TagKind;

  @Field()
  slug!: string;
}

@InputType({ description: "Narrows a list of articles; every condition given must hold." })
export class ArticleFilter {
  @Field(() => Int, { nullable: true, description: "Publication year (UTC)." })
  year?: number | null;

  @Field(() => Int, { nullable: true, description: "Month 1-12; needs year." })
  month?: number | null;

  @Field(() => Int, { nullable: true, description: "Day of the month; needs year and month." })
  day?: number | null;

  @Field(() => Date, { nullable: true, description: "Published at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Published before this time." })
  to?: Date | null;

  @Field(() => String, { nullable: true, description: "Slug of a rubric." })
  rubric?: string | null;

  @Field(() => String, { nullable: true, description: "Slug of a hashtag." })
  hashtag?: string | null;

  @Field(() => [TagRefInput], { nullable: true, description: "Tags that must all be present." })
  tags?: TagRefInput[] | null;

  @Field(() => String, { nullable: true, description: "Slug of the author." })
  author?: string | null;

  @Field(() => String, { nullable: true, description: 'Language code of the text, such as "ru" or "kk".' })
  language?: string | null;
}
