import { registerEnumType } from "type-graphql";
import { SearchOrder } from "../../src/read/search/cursor";
import { ArticleOrder } from "../../src/read/paging/articleOrder";
import { PopularWindow } from "../../src/read/lists/popular";

// The read side's orders and windows, as the schema names and describes them.

registerEnumType(ArticleOrder, { name: "ArticleOrder", description: "How a list of articles is sorted. Ties are broken by id." });

registerEnumType(PopularWindow, { name: "PopularWindow", description: "The period over which views are counted." });

registerEnumType(SearchOrder, {
  name: "SearchOrder",
  description: "How search results are ranked. Ties are broken by publication time, then id.",
  valuesConfig: {
    RELEVANCE: { description: "Titles holding every word, then some, then body-only matches; within those by relevance, then fresher first." },
    NEWEST: { description: "Newest first." },
  },
});
