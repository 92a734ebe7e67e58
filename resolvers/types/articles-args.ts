import { ArgsType, Field } from "type-graphql";
import { ArticleOrder } from "../../src/read/paging/articleOrder";
import { ArticleFilter } from "./article-filter";
import { PageArgsInput } from "./page-args";

@ArgsType()
export class ArticlesArgs extends PageArgsInput {
  @Field(() => ArticleFilter, { nullable: true })
  filter?: ArticleFilter | null;

  @Field(() => ArticleOrder, { defaultValue: ArticleOrder.PUBLISHED_AT_DESC })
  orderBy!: ArticleOrder;
}

@ArgsType()
export class ChildArticlesArgs extends PageArgsInput {
  @Field(() => ArticleOrder, { defaultValue: ArticleOrder.PUBLISHED_AT_DESC })
  orderBy!: ArticleOrder;
}
