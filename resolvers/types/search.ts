import { Directive, Field, Int, ObjectType } from "type-graphql";
import { Article } from "../../entities";
import { CacheHint } from "../../src/cacheHints";
import { PageInfo } from "./connection";

@Directive(CacheHint.inherit)
@ObjectType()
export class SearchEdge {
  @Field()
  cursor!: string;

  @Field({ description: "A passage of the article around the matched words, which are wrapped in <mark></mark>." })
  snippet!: string;

  @Field(() => Article)
  node!: Article;
}

@Directive(CacheHint.search)
@ObjectType({ description: "A page of search results, best first." })
export class SearchConnection {
  @Field(() => Int)
  totalCount!: number;

  @Field(() => [SearchEdge])
  edges!: SearchEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
