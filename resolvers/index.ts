import type { NonEmptyArray } from "type-graphql";
// The enums of src/ that the schema shows, registered before any resolver refers to them.
import "./types/orders";
import { ApiKeyResolver } from "./api-key.resolver";
import { ArchiveResolver } from "./archive.resolver";
import { ArticleLanguagesResolver, TranslationMutationResolver } from "./article-languages.resolver";
import { ArticleMutationResolver } from "./article-mutation.resolver";
import { ArticleResolver } from "./article.resolver";
import { AuthorMutationResolver } from "./author-mutation.resolver";
import { AuthorResolver } from "./author.resolver";
import { CollectionResolver } from "./collection.resolver";
import { ArticleConnectionResolver } from "./connection.resolver";
import { ArticleImagesResolver, ImageResolver } from "./image.resolver";
import { ImageMutationResolver } from "./image-mutation.resolver";
import { ImportResolver } from "./import.resolver";
import { LiveBlogMutationResolver } from "./live-blog-mutation.resolver";
import { ArticleLiveBlogResolver, LiveEntryResolver } from "./live-blog.resolver";
import { NodeResolver } from "./node.resolver";
import { PopularResolver } from "./popular.resolver";
import { SearchResolver } from "./search.resolver";
import { SubscriptionResolver } from "./subscription.resolver";
import { TagResolver } from "./tag.resolver";
import { ViewResolver } from "./view.resolver";
import { ArticleRevisionResolver, ArticleWorkflowResolver, WorkflowResolver } from "./workflow.resolver";
import { WebhookResolver } from "./webhook.resolver";

export const resolvers: NonEmptyArray<Function> = [
  ArticleResolver,
  ArticleConnectionResolver,
  AuthorResolver,
  TagResolver,
  CollectionResolver,
  NodeResolver,
  PopularResolver,
  ArchiveResolver,
  SearchResolver,
  ViewResolver,
  ArticleMutationResolver,
  AuthorMutationResolver,
  ImportResolver,
  ApiKeyResolver,
  ImageResolver,
  ArticleImagesResolver,
  ImageMutationResolver,
  ArticleWorkflowResolver,
  ArticleRevisionResolver,
  WorkflowResolver,
  ArticleLiveBlogResolver,
  LiveEntryResolver,
  LiveBlogMutationResolver,
  SubscriptionResolver,
  WebhookResolver,
  ArticleLanguagesResolver,
  TranslationMutationResolver,
];
