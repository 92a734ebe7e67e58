import type { NonEmptyArray } from "type-graphql";
import { ApiKeyResolver } from "./api-key.resolver";
import { ArchiveResolver } from "./archive.resolver";
import { ArticleLanguagesResolver, TranslationMutationResolver } from "./article-languages.resolver";
import { ArticleMutationResolver } from "./article-mutation.resolver";
import { ArticleResolver } from "./article.resolver";
import { AuthorMutationResolver } from "./author-mutation.resolver";
import { AuthorResolver } from "./author.resolver";
import { CollectionResolver } from "./collection.resolver";
import { ArticleConnectionResolver } from "./connection.resolver";
import { ImportResolver } from "./import.resolver";
import { NodeResolver } from "./node.resolver";
import { PopularResolver } from "./popular.resolver";
import { SearchResolver } from "./search.resolver";
import { TagResolver } from "./tag.resolver";
import { ViewResolver } from "./view.resolver";
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
  WebhookResolver,
  ArticleLanguagesResolver,
  TranslationMutationResolver,
];
