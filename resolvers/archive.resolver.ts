import { Arg, Ctx, Directive, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../src/graphql/context";
import { loadArchive } from "../src/read/lists/archive";
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
  ): Promise<Archive> {
    return { years: await loadArchive(ctx.reader, { year, month, locale }) };
  }
}
