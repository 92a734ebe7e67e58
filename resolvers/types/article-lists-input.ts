import { ArrayMaxSize, Length, Matches } from "class-validator";
import { ArgsType, Field, ID } from "type-graphql";

@ArgsType()
export class SetRubricsArgs {
  @Field(() => ID)
  articleId!: string;

  @Field(() => [ID], { description: "Rubric IDs in page order; [] removes them all." })
  @ArrayMaxSize(20)
  rubricIds!: string[];
}

@ArgsType()
export class SetHashtagsArgs {
  @Field(() => ID)
  articleId!: string;

  @Field(() => [String], { description: "Hashtag names in page order; unknown ones are created." })
  @ArrayMaxSize(50)
  @Length(1, 255, { each: true })
  @Matches(/\S/, { each: true, message: "each hashtag must contain a visible character" })
  hashtags!: string[];
}

@ArgsType()
export class SetRelatedArgs {
  @Field(() => ID)
  articleId!: string;

  @Field(() => [ID], { description: '"Read also" article IDs, in order.' })
  @ArrayMaxSize(20)
  relatedIds!: string[];
}
