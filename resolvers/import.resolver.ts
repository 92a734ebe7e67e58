import { Args, Authorized, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../src/graphql/context";
import { clearArticleLoaders } from "../src/write/clearLoaders";
import { toGlobalId } from "../src/graphql/globalId";
import { importPageTexts } from "../src/write/ingest/importPages";
import { ImportPagesArgs } from "./types/import-input";
import { ImportReport } from "./types/import-report";

@Resolver()
export class ImportResolver {
  // Importing is editors' work like any other edit; the batch is bounded by
  // ImportPagesArgs so one call stays inside the body and time limits.
  @Authorized(["editor", "admin"])
  @Mutation(() => ImportReport, { description: "Imports page texts in order, each all or nothing (pages share transactions, each under its own savepoint); a bad page is reported, not thrown." })
  async importPages(@Args() { pages }: ImportPagesArgs, @Ctx() ctx: Context): Promise<ImportReport> {
    const report = await importPageTexts(
      ctx.app.db.dataSource,
      pages.map((text, i) => ({ name: `pages[${i}]`, text })),
      undefined,
      ctx.viewer.keyName ?? null,
    );
    clearArticleLoaders(ctx.loaders);
    return {
      summary: report.summary,
      results: report.results.map((r) => ({
        name: r.name,
        status: r.status,
        articleId: r.articleId === undefined ? null : toGlobalId("Article", r.articleId),
        stubsCreated: r.stubsCreated,
        stubsFilled: r.stubsFilled,
        ambiguousTitles: r.ambiguousTitles,
        error: r.error ?? null,
      })),
    };
  }
}
