import type { Reader } from "../reader";
import type { Viewer } from "../viewer";
import { articleBodyLoader, articleLoaders } from "./articles";
import { articlePageLoaders } from "./articlePages";
import { authorLoaders } from "./authors";
import { type RequestBatcher, requestLoaders } from "./batcher";
import { collectionLoaders } from "./collections";
import { countLoaders } from "./counts";
import { imageLoaders } from "./images";
import { liveBlogLoaders } from "./liveBlogs";
import { relatedLoaders } from "./related";
import { tagLoaders } from "./tags";
import { translationLoaders } from "./translations";
import { workflowLoaders } from "./revisions";

/**
 * One DataLoader per relation, made fresh for every request so that nothing
 * cached outlives it and what a viewer may see never leaks to another.
 */
export function createLoaders(db: Reader, viewer: Viewer, batcher: RequestBatcher) {
  // Batch sizes feed the dataloader metrics on /metrics.
  const batch = requestLoaders(batcher);
  return {
    ...articleLoaders(db, viewer, batch),
    articleBodies: articleBodyLoader(db, batch),
    ...authorLoaders(db, batch),
    ...tagLoaders(db, batch),
    ...relatedLoaders(db, viewer, batch),
    ...articlePageLoaders(db, batch),
    ...countLoaders(db, batch),
    ...collectionLoaders(db, viewer, batch),
    ...imageLoaders(db, viewer, batch),
    ...translationLoaders(db, viewer, batch),
    ...workflowLoaders(db, batch),
    ...liveBlogLoaders(db, batch),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
