import type { DataSource } from "typeorm";
import type { Viewer } from "../viewer";
import { articleLoaders } from "./articles";
import { articlePageLoaders } from "./articlePages";
import { authorLoaders } from "./authors";
import { collectionLoaders } from "./collections";
import { countLoaders } from "./counts";
import { relatedLoaders } from "./related";
import { tagLoaders } from "./tags";

/**
 * One DataLoader per relation, made fresh for every request so that nothing
 * cached outlives it and what a viewer may see never leaks to another.
 */
export function createLoaders(ds: DataSource, viewer: Viewer) {
  return {
    ...articleLoaders(ds, viewer),
    ...authorLoaders(ds),
    ...tagLoaders(ds),
    ...relatedLoaders(ds, viewer),
    ...articlePageLoaders(ds),
    ...countLoaders(ds),
    ...collectionLoaders(ds, viewer),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
