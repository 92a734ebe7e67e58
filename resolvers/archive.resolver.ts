import type { GraphQLResolveInfo } from "graphql";
import { Arg, Ctx, Directive, Info, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../src/graphql/context";
import { loadArchive } from "../src/read/lists/archive";
import { selectsPath } from "../src/graphql/lookahead";
import { Archive } from "./types/archive";
import { CacheHint } from "../src/cache/hints";

@Resolver(() => Archive)
export class ArchiveResolver {
  @Directive(CacheHint.content)
  @Query(() => Archive, { description: "The date archive; year (and month) narrow the tree to that year (or month)." })
  async archive(
    @Arg("year", () => Int, { nullable: true }) year: number | null,
    @Arg("month", () => Int, { nullable: true }) month: number | null,
    @Arg("locale", () => String, { defaultValue: "ru", description: "Language of month labels: ru, kk or en." }) locale: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Archive> {
    // The days are read only when asked for: the month tree alone is one row a month (archive_month).
    return { years: await loadArchive(ctx.reader, { year, month, locale, days: selectsPath(info, ["years", "months", "days"]) }) };
  }
}
