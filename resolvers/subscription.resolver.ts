import { Arg, Ctx, ID, Resolver, Root, Subscription } from "type-graphql";
import { Article, ArticleStatus, LiveEntry, TagKind } from "../entities";
import type { Context } from "../src/graphql/context";
import { idOf } from "../src/graphql/globalId";
import { topics } from "../src/live/events";
import { delivered, deliveries, type Delivery } from "../src/live/streams";

/**
 * Subscriptions, served over graphql-ws on /graphql and graphql-sse on
 * /graphql/stream (src/live). Each event is resolved like a query, through
 * loaders that see what the subscriber may see: a reader is never told of
 * a draft.
 */
@Resolver()
export class SubscriptionResolver {
  @Subscription(() => Article, {
    description: "Articles as they go live (published now, or when their scheduled time comes), optionally of one rubric (its slug).",
    subscribe: ({ args, context }) =>
      deliveries(context as Context, topics.articlePublished(), async (event, ctx) => {
        const article = await ctx.loaders.articleById.load(event.articleId);
        if (!article || article.status !== ArticleStatus.PUBLISHED) return null;
        if (typeof args.rubric === "string") {
          const tags = await ctx.loaders.tagsByArticleId.load(article.id);
          if (!tags.some((t) => t.kind === TagKind.RUBRIC && t.slug === args.rubric)) return null;
        }
        return article;
      }),
  })
  articlePublished(
    @Root() delivery: Delivery<Article>,
    @Ctx() ctx: Context,
    @Arg("rubric", () => String, { nullable: true }) _rubric?: string | null,
  ): Article {
    return delivered(delivery, ctx);
  }

  @Subscription(() => Article, {
    description: "The article each time it is changed (for a page that is open).",
    subscribe: ({ args, context }) => {
      const id = idOf("Article", args.id as string);
      return deliveries(context as Context, topics.articleUpdated(id), (_event, ctx) => ctx.loaders.articleById.load(id));
    },
  })
  articleUpdated(@Root() delivery: Delivery<Article>, @Ctx() ctx: Context, @Arg("id", () => ID) _id: string): Article {
    return delivered(delivery, ctx);
  }

  @Subscription(() => LiveEntry, {
    description: "New entries of a live blog as they are posted.",
    subscribe: ({ args, context }) => {
      const articleId = idOf("Article", args.articleId as string, "articleId");
      return deliveries(context as Context, topics.liveEntryAdded(articleId), async (event, ctx) => {
        if (event.kind !== "liveEntryAdded" || !(await ctx.loaders.articleById.load(articleId))) return null;
        return ctx.loaders.liveEntryById.load(event.entryId);
      });
    },
  })
  liveEntryAdded(@Root() delivery: Delivery<LiveEntry>, @Ctx() ctx: Context, @Arg("articleId", () => ID) _articleId: string): LiveEntry {
    return delivered(delivery, ctx);
  }
}
