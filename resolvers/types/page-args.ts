import { ArgsType, Field, Int } from "type-graphql";

@ArgsType()
export class PageArgsInput {
  @Field(() => Int, { nullable: true, description: "Page size from the start or after `after` (0 to 100; default 20)." })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: "Page size from the end or before `before` (0 to 100)." })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}
