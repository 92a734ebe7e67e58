import { ArgsType, Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { LiveEntry } from "../../entities";
import { CacheHint } from "../../src/cache/hints";
import { PageInfo } from "./connection";

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true })
export class LiveEntryEdge {
  @Field({ description: "Opaque position of this edge; pass it as after." })
  cursor!: string;

  @Field(() => LiveEntry)
  node!: LiveEntry;
}

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true, description: "A page of live blog entries: pinned ones first, then newest first." })
export class LiveEntryConnection {
  @Field(() => [LiveEntryEdge])
  edges!: LiveEntryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ArgsType()
export class LiveEntriesArgs {
  @Field(() => Int, { nullable: true, description: "Page size (0 to 100; default 20)." })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class AddLiveEntryArgs {
  @Field(() => ID)
  articleId!: string;

  @Field({ description: "The entry's text (at most 20,000 characters)." })
  text!: string;

  @Field({ defaultValue: false, description: "Pinned entries stay above the others." })
  pinned!: boolean;

  @Field(() => ID, { nullable: true, description: "Who signs the entry; the article's author when absent." })
  authorId?: string | null;
}

@ArgsType()
export class UpdateLiveEntryArgs {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  text?: string | null;

  @Field(() => Boolean, { nullable: true })
  pinned?: boolean | null;
}
