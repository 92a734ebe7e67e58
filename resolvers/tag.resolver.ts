import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, Directive, FieldResolver, ID, Info, Int, Query, Resolver, Root } from "type-graphql";
import { selectsPath } from "../src/graphql/lookahead";
import { Tag, TagKind } from "../entities";
import type { Context } from "../src/graphql/context";
import { toGlobalId } from "../src/graphql/globalId";
import { pageRequest } from "../src/read/paging/pages";
import { countReadWith, listTags } from "../src/read/lists/tagList";
import { toPage } from "../src/read/paging/keyset";
import { ChildArticlesArgs } from "./types/articles-args";
import { ArticleConnection } from "./types/connection";
import { CacheHint } from "../src/cache/hints";
import { checkLanguage } from "../src/text/language";

@Resolver(() => Tag)
export class TagResolver {
  @Directive(CacheHint.content)
  @Query(() => Tag, { nullable: true, description: "One rubric or hashtag; null when there is none." })
  tag(
    @Arg("slug") slug: string,
    @Arg("kind", () => TagKind, { defaultValue: TagKind.RUBRIC }) kind: TagKind,
    @Ctx() ctx: Context,
  ): Promise<Tag | null> {
    return ctx.loaders.tagByKindSlug.load({ kind, slug });
  }

  @Directive(CacheHint.content)
  @Query(() => [Tag], { description: "The site's rubrics (sections), by name; with language, those holding published articles in it." })
  async rubrics(
    @Arg("language", () => String, { nullable: true, description: 'Language code, such as "kk".' }) language: string | null | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Tag[]> {
    // A page that lists the rubrics with their counts reads both in one statement.
    const counted = selectsPath(info, ["articleCount"]);
    const tags = await listTags(ctx.reader, TagKind.RUBRIC, language === undefined || language === null ? null : checkLanguage(language, "language"), counted);
    // Another path to the same tag in this request (tag(slug) { articleCount }) then reads no count either.
    for (const t of tags) {
      const n = countReadWith(t);
      if (n !== undefined) ctx.loaders.articleCountOfTag.prime(t.id, n);
    }
    return tags;
  }

  @FieldResolver(() => ID)
  id(@Root() tag: Tag): string {
    return toGlobalId("Tag", tag.id);
  }

  @FieldResolver(() => Int, { description: "Number of published articles with this tag (in one language when given)." })
  articleCount(
    @Root() tag: Tag,
    @Arg("language", () => String, { nullable: true, description: 'Language code, such as "kk".' }) language: string | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<number> | number {
    if (language === undefined || language === null) return countReadWith(tag) ?? ctx.loaders.articleCountOfTag.load(tag.id);
    return ctx.loaders.articleCountOfTagInLanguage.load({ tagId: tag.id, language: checkLanguage(language, "language") });
  }

  @FieldResolver(() => ArticleConnection, { description: "Published articles with this tag, newest first." })
  async articles(@Root() tag: Tag, @Args() args: ChildArticlesArgs, @Ctx() ctx: Context): Promise<ArticleConnection> {
    const page = pageRequest(args, args.orderBy, ctx.app.config);
    const rows = page.limit === 0 ? [] : await ctx.loaders.articlesOfTag.load({ parentId: tag.id, page, order: args.orderBy });
    return { ...toPage(rows, args.orderBy, page), countAll: () => ctx.loaders.articleCountOfTag.load(tag.id) };
  }
}
