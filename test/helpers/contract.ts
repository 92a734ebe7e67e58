import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import * as generated from "../../src/graphql/generated/graphql";
import { operation, operationFiles } from "./gateway";

/**
 * The typed documents codegen made from schema/operations, by file name.
 * Tests send these (not hand-written queries), so a contract change that
 * codegen has not seen fails to type-check.
 */
export const CONTRACT = {
  "archive-page.graphql": generated.ArchivePageDocument,
  "article-media.graphql": generated.ArticleMediaDocument,
  "article-head.graphql": generated.ArticleHeadDocument,
  "article-corrections.graphql": generated.ArticleCorrectionsDocument,
  "article-page.graphql": generated.ArticlePageDocument,
  "author-page.graphql": generated.AuthorPageDocument,
  "front-page.graphql": generated.FrontPageDocument,
  "preview-page.graphql": generated.PreviewPageDocument,
  "live-blog-updates.graphql": generated.LiveBlogUpdatesDocument,
  "live-blog.graphql": generated.LiveBlogDocument,
  "news-ticker.graphql": generated.NewsTickerDocument,
  "record-view.graphql": generated.RecordViewDocument,
  "rubric-page.graphql": generated.RubricPageDocument,
  "search.graphql": generated.SearchDocument,
  "site-lists.graphql": generated.SiteListsDocument,
} as const satisfies Record<string, TypedDocumentNode<unknown, never>>;

export type ContractFile = keyof typeof CONTRACT;

/** Every operation file has a typed document, and each document is that file's operation. */
export function checkContractDocuments(): void {
  const files = operationFiles();
  if (files.join() !== Object.keys(CONTRACT).sort().join()) throw new Error(`typed documents ${Object.keys(CONTRACT)} do not match ${files}`);
  for (const file of files) {
    const expected = operation(file).definitions.filter((d) => d.kind === "OperationDefinition").map((d) => print(d));
    const actual = CONTRACT[file as ContractFile].definitions.filter((d) => d.kind === "OperationDefinition").map((d) => print(d));
    if (expected.join() !== actual.join()) throw new Error(`${file}: its typed document is stale; run npm run codegen`);
  }
}
