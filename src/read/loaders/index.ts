import type { Reader } from "../reader";
import { READER, type Viewer } from "../viewer";
import { articleBodyLoader, articleLoaders } from "./articles";
import { articlePageLoaders } from "./articlePages";
import { authorLoaders } from "./authors";
import { type BatchOptions, type RequestBatcher, requestLoaders } from "./batcher";
import { collectionLoaders } from "./collections";
import { countLoaders } from "./counts";
import { imageLoaders } from "./images";
import { liveBlogLoaders } from "./liveBlogs";
import { relatedLoaders } from "./related";
import { tagLoaders } from "./tags";
import { translationLoaders } from "./translations";
import { workflowLoaders } from "./revisions";

/** The request's loaders, a group of related ones at a time (a group's loaders may prime each other). */
const GROUPS = {
  articles: (db: Reader, viewer: Viewer, batch: BatchOptions) => articleLoaders(db, viewer, batch),
  bodies: (db: Reader, _viewer: Viewer, batch: BatchOptions) => ({ articleBodies: articleBodyLoader(db, batch) }),
  authors: (db: Reader, _viewer: Viewer, batch: BatchOptions) => authorLoaders(db, batch),
  tags: (db: Reader, _viewer: Viewer, batch: BatchOptions) => tagLoaders(db, batch),
  related: (db: Reader, viewer: Viewer, batch: BatchOptions) => relatedLoaders(db, viewer, batch),
  articlePages: (db: Reader, _viewer: Viewer, batch: BatchOptions) => articlePageLoaders(db, batch),
  counts: (db: Reader, _viewer: Viewer, batch: BatchOptions) => countLoaders(db, batch),
  collections: (db: Reader, viewer: Viewer, batch: BatchOptions) => collectionLoaders(db, viewer, batch),
  images: (db: Reader, viewer: Viewer, batch: BatchOptions) => imageLoaders(db, viewer, batch),
  translations: (db: Reader, viewer: Viewer, batch: BatchOptions) => translationLoaders(db, viewer, batch),
  workflow: (db: Reader, _viewer: Viewer, batch: BatchOptions) => workflowLoaders(db, batch),
  liveBlogs: (db: Reader, _viewer: Viewer, batch: BatchOptions) => liveBlogLoaders(db, batch),
};

type GroupName = keyof typeof GROUPS;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
export type Loaders = UnionToIntersection<ReturnType<(typeof GROUPS)[GroupName]>>;

/** Which group makes each loader: learned once, by making every group with loaders that are never used. */
const GROUP_OF: ReadonlyMap<string, GroupName> = (() => {
  const probe: BatchOptions = { loader: () => ({}) as never };
  const nowhere: Reader = { read: async () => [] };
  const out = new Map<string, GroupName>();
  for (const name of Object.keys(GROUPS) as GroupName[]) {
    for (const key of Object.keys(GROUPS[name](nowhere, READER, probe))) {
      if (out.has(key)) throw new Error(`loader ${key} is made by two groups`);
      out.set(key, name);
    }
  }
  return out;
})();

/** Where a request's loaders find its reader, viewer and batching (a symbol: Object.values lists loaders only). */
const MADE_WITH = Symbol("loaders made with");

class LazyLoaders {
  readonly [MADE_WITH]: { db: Reader; viewer: Viewer; batch: BatchOptions };

  constructor(db: Reader, viewer: Viewer, batch: BatchOptions) {
    this[MADE_WITH] = { db, viewer, batch };
  }
}

/*
 * Each group's loaders are made when one of them is first asked for, and
 * then stay as own properties (so Object.values lists every loader that
 * may hold something): a request uses a few of the two dozen.
 */
for (const [key, group] of GROUP_OF) {
  Object.defineProperty(LazyLoaders.prototype, key, {
    get(this: LazyLoaders) {
      const { db, viewer, batch } = this[MADE_WITH];
      const made = GROUPS[group](db, viewer, batch) as Record<string, unknown>;
      for (const [k, loader] of Object.entries(made)) Object.defineProperty(this, k, { value: loader, enumerable: true });
      return made[key];
    },
  });
}

/**
 * One DataLoader per relation, made fresh for every request so that nothing
 * cached outlives it and what a viewer may see never leaks to another.
 */
export function createLoaders(db: Reader, viewer: Viewer, batcher: RequestBatcher): Loaders {
  // Batch sizes feed the dataloader metrics on /metrics.
  return new LazyLoaders(db, viewer, requestLoaders(batcher)) as unknown as Loaders;
}
