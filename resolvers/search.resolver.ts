import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../src/context";
import { dialectOf } from "../src/db/dialect";
import { badUserInput } from "../src/errors";
import { checkLanguage } from "../src/languages/language";
import { pageRequest } from "../src/paging";
import { searchArticles } from "../src/services/search";
import { SearchConnection } from "./types/search";

function offsetCursor(offset: number): string {
  return Buffer.from(`search:${offset}`, "utf8").toString("base64url");
}

function offsetOf(cursor: string): number {
  const m = /^search:(\d{1,7})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw badUserInput("after is not a valid cursor; pass an endCursor from this search.", "after");
  return Number(m[1]) + 1;
}

@Resolver()
export class SearchResolver {
  @Query(() => SearchConnection, { description: "Full-text search over published articles, best match first." })
  async search(
    @Arg("query") query: string,
    @Arg("first", () => Int, { defaultValue: 10 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("language", () => String, {
      nullable: true,
      description: 'Only articles in this language ("ru", "kk", "en"), the query normalised by its rules (Kazakh words whole, Russian stemmed).',
    })
    language: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<SearchConnection> {
    pageRequest({ first }, "search");
    const offset = after ? offsetOf(after) : 0;
    const lang = language === undefined || language === null ? null : checkLanguage(language, "language");
    const result = await searchArticles(ctx.reader, dialectOf(ctx.app.db.dataSource), query, offset, first, lang);
    const edges = result.hits.map((h, i) => ({ cursor: offsetCursor(offset + i), snippet: h.snippet, node: h.article }));
    for (const e of edges) ctx.loaders.articleById.prime(e.node.id, e.node);
    return {
      totalCount: result.total,
      edges,
      pageInfo: {
        hasNextPage: offset + edges.length < result.total,
        hasPreviousPage: offset > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}
