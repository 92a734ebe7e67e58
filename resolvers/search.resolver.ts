import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../src/graphql/context";
import { dialectOf } from "../src/db/dialect";
import { badUserInput } from "../src/graphql/errors";
import { checkLanguage } from "../src/text/language";
import { pageInfoOf, pageRequest } from "../src/read/paging/pages";
import { decodeSearchCursor, SearchOrder } from "../src/read/search/cursor";
import { SEARCH_CANDIDATE_CAP, searchArticles } from "../src/read/search/searchArticles";
import { SearchConnection, SearchFilter } from "./types/search";

@Resolver()
export class SearchResolver {
  @Query(() => SearchConnection, {
    description: `Full-text search over published articles, best match (or newest) first; at most ${SEARCH_CANDIDATE_CAP} matches are ranked and counted.`,
  })
  async search(
    @Arg("query") query: string,
    @Arg("first", () => Int, { defaultValue: 10 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("orderBy", () => SearchOrder, { defaultValue: SearchOrder.RELEVANCE }) orderBy: SearchOrder,
    @Arg("filter", () => SearchFilter, { nullable: true }) filter: SearchFilter | null,
    @Arg("language", () => String, {
      nullable: true,
      description: 'Only articles in this language ("ru", "kk", "en"), the query normalised by its rules (Kazakh words whole, Russian stemmed).',
    })
    language: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<SearchConnection> {
    pageRequest({ first }, "search", ctx.app.config);
    if (filter?.from && filter.to && filter.from >= filter.to) {
      throw badUserInput("filter.to must be later than filter.from.", "filter");
    }
    const lang = language === undefined || language === null ? null : checkLanguage(language, "language");
    const position = after ? decodeSearchCursor(after, orderBy) : null;
    const request = { query, first, after: position, orderBy, filter: lang ? { ...filter, language: lang } : filter };
    const result = await searchArticles(ctx.reader, dialectOf(ctx.app.db.dataSource), request);
    const edges = result.hits.map((h) => ({ cursor: h.cursor, snippet: h.snippet, node: h.article }));
    for (const e of edges) ctx.loaders.articleById.prime(e.node.id, e.node);
    return {
      totalCount: result.total,
      totalCountIsExact: result.totalIsExact,
      edges,
      pageInfo: pageInfoOf(edges, result.hasNextPage, position !== null),
    };
  }
}
