import { Directive, Field, InputType, Int, ObjectType } from "type-graphql";
import { Article } from "../../entities";
import { CacheHint } from "../../src/cache/hints";
import { SEARCH_CANDIDATE_CAP } from "../../src/read/search/searchArticles";
import { PageInfo } from "./connection";

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true })
export class SearchEdge {
  @Field()
  cursor!: string;

  @Field({ description: "A passage of the article around the matched words, which are wrapped in <mark></mark>." })
  snippet!: string;

  @Field(() => Article)
  node!: Article;
}

@Directive(CacheHint.search)
@ObjectType({ simpleResolvers: true, description: "A page of search results, best first." })
export class SearchConnection {
  @Field(() => Int, { description: `Matching articles, counted up to ${SEARCH_CANDIDATE_CAP} (see totalCountIsExact).` })
  totalCount!: number;

  @Field({ description: `false when more articles may match than totalCount says: a search ranks and counts at most ${SEARCH_CANDIDATE_CAP}, and on MariaDB a common word only among the newest articles.` })
  totalCountIsExact!: boolean;

  @Field(() => [SearchEdge])
  edges!: SearchEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType({ description: "Narrows a search; every condition given must hold." })
export class SearchFilter {
  @Field(() => String, { nullable: true, description: "Slug of a rubric." })
  rubric?: string | null;

  @Field(() => Date, { nullable: true, description: "Published at or after this time." })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: "Published before this time." })
  to?: Date | null;
}
