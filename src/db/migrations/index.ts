import { Initial1700000000000 } from "./1700000000000-initial";
import { Search1700000000100 } from "./1700000000100-search";
import { ApiKeys1700000000400 } from "./1700000000400-api-keys";
import { TagListing1700000000500 } from "./1700000000500-tag-listing";
import { LiveBlogs1700000001400 } from "./1700000001400-live-blogs";
import { Webhooks1700000001450 } from "./1700000001450-webhooks";
import { SearchRecent1700000001150 } from "./1700000001150-search-recent";
import { Workflow1700000001200 } from "./1700000001200-workflow";
import { Images1700000001300 } from "./1700000001300-images";
import { Translations1700000001500 } from "./1700000001500-translations";
import { KeptNeighbours1700000001600 } from "./1700000001600-kept-neighbours";
import { KeptCounts1700000001700 } from "./1700000001700-kept-counts";
import { PopularRanking1700000001710 } from "./1700000001710-popular-ranking";
import { TagViews1700000001720 } from "./1700000001720-tag-views";
import { SearchPostings1700000001800 } from "./1700000001800-search-postings";
import { ArchiveMonths1700000001900 } from "./1700000001900-archive-months";

/** Every migration, oldest first. Add new ones at the end. */
export const migrations = [
  Initial1700000000000,
  Search1700000000100,
  ApiKeys1700000000400,
  TagListing1700000000500,
  SearchRecent1700000001150,
  Workflow1700000001200,
  Images1700000001300,
  LiveBlogs1700000001400,
  Webhooks1700000001450,
  Translations1700000001500,
  KeptNeighbours1700000001600,
  KeptCounts1700000001700,
  PopularRanking1700000001710,
  TagViews1700000001720,
  SearchPostings1700000001800,
  ArchiveMonths1700000001900,
];
