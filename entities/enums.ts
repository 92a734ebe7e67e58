import { registerEnumType } from "type-graphql";

export enum ArticleStatus {
  PUBLISHED = "PUBLISHED",
  DRAFT = "DRAFT",
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
  },
});

registerEnumType(TagKind, {
  name: "TagKind",
  description: "Rubrics are the site's sections; hashtags are free-form topics.",
});
