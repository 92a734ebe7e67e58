import { Args, Ctx, Directive, FieldResolver, ID, Resolver, Root } from "type-graphql";
import { Article, Author, LiveEntry } from "../entities";
import { CacheHint } from "../src/cache/hints";
import type { Context } from "../src/graphql/context";
import { toGlobalId } from "../src/graphql/globalId";
import { LIVE_ENTRY_ORDER } from "../src/read/loaders/liveBlogs";
import { forwardPage, pageRequest } from "../src/read/paging/pages";
import { LiveEntriesArgs, LiveEntryConnection } from "./types/live-blog";

/** An article's live blog: whether it is running, and its entries. */
@Resolver(() => Article)
export class ArticleLiveBlogResolver {
  @FieldResolver(() => Boolean, { description: "True while the article's live blog is running." })
  live(@Root() article: Article, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.loaders.liveArticle.load(article.id);
  }

  @Directive(CacheHint.liveBlog)
  @FieldResolver(() => LiveEntryConnection, { description: "The live blog's entries: pinned ones first, then newest first." })
  async liveEntries(@Root() article: Article, @Args() args: LiveEntriesArgs, @Ctx() ctx: Context): Promise<LiveEntryConnection> {
    const page = pageRequest({ first: args.first, after: args.after }, LIVE_ENTRY_ORDER, ctx.app.config);
    const rows = await ctx.loaders.liveEntryPage.load({ articleId: article.id, page });
    return forwardPage(
      rows,
      page,
      (node) => ({ order: LIVE_ENTRY_ORDER, value: node.pinned ? 1 : 0, id: node.id }),
      (node) => node,
    );
  }
}

@Resolver(() => LiveEntry)
export class LiveEntryResolver {
  @FieldResolver(() => ID)
  id(@Root() entry: LiveEntry): string {
    return toGlobalId("LiveEntry", entry.id);
  }

  @FieldResolver(() => Author, { nullable: true })
  author(@Root() entry: LiveEntry, @Ctx() ctx: Context): Promise<Author | null> | null {
    return entry.authorId === null ? null : ctx.loaders.authorById.load(entry.authorId);
  }
}
