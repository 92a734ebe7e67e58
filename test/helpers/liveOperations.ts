import { print } from "graphql";
import { operation } from "./gateway";

/** The front end's live documents, as a client sends them. */
export const NEWS_TICKER = print(operation("news-ticker.graphql"));
export const LIVE_BLOG_UPDATES = print(operation("live-blog-updates.graphql"));
export const LIVE_BLOG = print(operation("live-blog.graphql"));

/** What news-ticker.graphql answers with per event. */
export interface Ticker {
  articlePublished: {
    id: string;
    slug: string;
    path: string;
    title: string;
    publishedAt: string;
    rubrics: { slug: string; name: string }[];
  };
}

/** What live-blog-updates.graphql answers with per event. */
export interface EntryAdded {
  liveEntryAdded: { id: string; postedAt: string; text: string; pinned: boolean; author: { id: string; name: string } | null };
}
