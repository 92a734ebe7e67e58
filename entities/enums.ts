import { registerEnumType } from "type-graphql";

export enum ArticleStatus {
  PUBLISHED = "PUBLISHED",
  DRAFT = "DRAFT",
  /** Published at a future time: hidden from readers until then, when it becomes PUBLISHED by itself. */
  SCHEDULED = "SCHEDULED",
  /** Known only by its title, from another page's lists, until its own page is imported. */
  STUB = "STUB",
}

export enum TagKind {
  RUBRIC = "RUBRIC",
  HASHTAG = "HASHTAG",
}

registerEnumType(ArticleStatus, {
  name: "ArticleStatus",
  description: "Where an article is in its life. Readers see PUBLISHED and STUB articles only.",
  valuesConfig: {
    STUB: { description: "Known only by its title (from another page's lists) until its own page is imported." },
    SCHEDULED: { description: "To be published at its publishedAt; readers cannot reach it before then (an embargo)." },
  },
});

registerEnumType(TagKind, {
  name: "TagKind",
  description: "Rubrics are the site's sections; hashtags are free-form topics.",
});
