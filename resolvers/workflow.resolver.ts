import { GraphQLError } from "graphql";
import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Article, Author, Tag } from "../entities";
import type { Context } from "../src/graphql/context";
import * as writes from "../src/write/articleWrites";
import { writtenArticle } from "../src/write/clearLoaders";
import { ErrorCode } from "../src/graphql/errors";
import { idOf } from "../src/graphql/globalId";
import { forwardPage, pageInfoOf, pageRequest } from "../src/read/paging/pages";
import { canSeeDrafts } from "../src/read/viewer";
import { markAnswerPrivate } from "../src/cache/cachePolicy";
import { addCorrection } from "../src/workflow/corrections";
import type { RevisionRow } from "../src/read/loaders/revisions";
import { articleForPreview, createPreviewToken, revokePreviewTokens } from "../src/workflow/previewTokens";
import { ArticleRevision, ArticleRevisionConnection, Correction, PreviewToken, revisionIdOf, toRevisionId } from "./types/workflow";

const EDITORS = ["editor", "admin"];
const REVISIONS_ORDER = "revisions";

function toRevision(row: RevisionRow): ArticleRevision {
  const r = new ArticleRevision();
  Object.assign(r, {
    revisionId: row.id,
    createdAt: row.createdAt,
    keyName: row.keyName,
    status: row.record.status,
    slug: row.record.slug,
    publishedAt: row.record.publishedAt ? new Date(row.record.publishedAt) : null,
    title: row.record.title,
    lead: row.record.lead,
    paragraphs: row.record.paragraphs,
    photoCredit: row.record.photoCredit,
    language: row.record.language,
    hashtags: row.record.hashtags,
    authorId: row.record.authorId,
    rubricIds: row.record.rubricIds,
  });
  return r;
}

/** The newsroom's fields on Article: when it last changed, its corrections, its revisions (editors only). */
@Resolver(() => Article)
export class ArticleWorkflowResolver {
  @FieldResolver(() => Date, {
    description: "Last editorial change of what readers see (title, lead, body, tags, author, photo); not publishing, not view counts.",
  })
  updatedAt(@Root() article: Article): Date {
    return article.updatedAt;
  }

  @FieldResolver(() => [Correction], { description: "Corrections published under the article, oldest first." })
  async corrections(@Root() article: Article, @Ctx() ctx: Context): Promise<Correction[]> {
    return (await ctx.loaders.correctionsByArticleId.load(article.id)).map((c) =>
      Object.assign(new Correction(), { publishedAt: c.publishedAt, text: c.text }),
    );
  }

  @Directive("@cacheControl(maxAge: 0, scope: PRIVATE)")
  @FieldResolver(() => ArticleRevisionConnection, {
    description: "Every editorial write of the article, newest first. Editors and admins only: readers get FORBIDDEN.",
  })
  async revisions(
    @Root() article: Article,
    @Arg("first", () => Int, { nullable: true, description: "Page size (0 to 100; default 20)." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<ArticleRevisionConnection> {
    if (!canSeeDrafts(ctx.viewer)) {
      throw new GraphQLError("Revisions are for editors: send an editor's or admin's API key.", {
        extensions: { code: ErrorCode.FORBIDDEN },
      });
    }
    const page = pageRequest({ first, after }, REVISIONS_ORDER, ctx.app.config);
    if (page.limit === 0)
      return { edges: [], pageInfo: pageInfoOf([], false, page.cursor !== null) };
    const rows = await ctx.loaders.revisionPages.load({
      articleId: article.id,
      limit: page.limit + 1,
      beforeId: page.cursor ? page.cursor.id : null,
    });
    return forwardPage(rows, page, (row) => ({ order: REVISIONS_ORDER, value: row.id, id: row.id }), toRevision);
  }
}

@Resolver(() => ArticleRevision)
export class ArticleRevisionResolver {
  @FieldResolver(() => ID)
  id(@Root() revision: ArticleRevision): string {
    return toRevisionId(revision.revisionId);
  }

  @FieldResolver(() => Author, { nullable: true })
  author(@Root() revision: ArticleRevision, @Ctx() ctx: Context): Promise<Author | null> | null {
    return revision.authorId === null ? null : ctx.loaders.authorById.load(revision.authorId);
  }

  @FieldResolver(() => [Tag], { description: "Rubrics then (still existing), in page order." })
  async rubrics(@Root() revision: ArticleRevision, @Ctx() ctx: Context): Promise<Tag[]> {
    return (await ctx.loaders.tagById.loadMany(revision.rubricIds)).filter((t): t is Tag => t instanceof Tag);
  }
}

/** Scheduling, corrections, restoring revisions and preview links. */
@Resolver()
export class WorkflowResolver {
  private written(ctx: Context, id: number): Promise<Article> {
    return writtenArticle(ctx.loaders, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, { description: "Takes a SCHEDULED article back to a draft (its date is kept); readers never saw it." })
  async unscheduleArticle(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Article> {
    const articleId = idOf("Article", id);
    await writes.unscheduleArticle(ctx.app.db.dataSource, articleId, ctx.viewer.keyName ?? null);
    return this.written(ctx, articleId);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, { description: "Publishes a correction under a published (or scheduled) article, dated now." })
  async addCorrection(
    @Arg("articleId", () => ID) articleId: string,
    @Arg("text", () => String) text: string,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const id = idOf("Article", articleId, "articleId");
    await addCorrection(ctx.app.db.dataSource, id, text, ctx.viewer.keyName ?? null);
    return this.written(ctx, id);
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, {
    description:
      "Writes a revision's content (title, lead, body, author, photo, language, tags) back as a new revision; status and date stay.",
  })
  async restoreRevision(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Article> {
    const articleId = await writes.restoreRevision(ctx.app.db.dataSource, revisionIdOf(id), ctx.viewer.keyName ?? null);
    return this.written(ctx, articleId);
  }

  @Authorized(EDITORS)
  @Mutation(() => PreviewToken, {
    description: "A token that lets anyone holding it read the article as it is now through preview(token:), without an API key.",
  })
  async createPreviewToken(
    @Arg("articleId", () => ID) articleId: string,
    @Arg("expiresInSeconds", () => Int, { defaultValue: 86400, description: "1 to 2,592,000 (30 days)." }) expiresInSeconds: number,
    @Ctx() ctx: Context,
  ): Promise<PreviewToken> {
    const issued = await createPreviewToken(
      ctx.app.db.dataSource,
      idOf("Article", articleId, "articleId"),
      expiresInSeconds,
      ctx.viewer.keyName ?? null,
    );
    markAnswerPrivate(ctx);
    return Object.assign(new PreviewToken(), issued);
  }

  @Authorized(EDITORS)
  @Mutation(() => Int, { description: "Revokes every preview token of the article; returns how many were live." })
  async revokePreviewTokens(@Arg("articleId", () => ID) articleId: string, @Ctx() ctx: Context): Promise<number> {
    return revokePreviewTokens(ctx.app.db.dataSource, idOf("Article", articleId, "articleId"));
  }

  @Directive("@cacheControl(maxAge: 0, scope: PRIVATE)")
  @Query(() => Article, {
    nullable: true,
    description:
      "The article a preview token shows, as it is now (a draft, a scheduled article or the latest edit), to anyone holding the token. Pass the token as a variable. Expired, revoked or unknown tokens get FORBIDDEN.",
  })
  async preview(@Arg("token", () => String) token: string, @Ctx() ctx: Context): Promise<Article> {
    // Marked before the lookup, so that a refusal is not cached either.
    markAnswerPrivate(ctx);
    return articleForPreview(ctx.reader, token);
  }
}
