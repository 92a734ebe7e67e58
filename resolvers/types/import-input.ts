import { ArrayMaxSize, ArrayMinSize, MaxLength } from "class-validator";
import { ArgsType, Field } from "type-graphql";

/** Sized so that one request stays well inside the body and time limits. */
@ArgsType()
export class ImportPagesArgs {
  @Field(() => [String], { description: "Page texts in the site's page format (see FORMAT.md), imported in order." })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @MaxLength(200_000, { each: true })
  pages!: string[];
}
