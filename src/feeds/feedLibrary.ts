/*
 * The `feed` package (RSS 2.0 and Atom 1.0) ships as an ES module only; this
 * CommonJS build loads it with a dynamic import, once, on the first feed.
 */
export type FeedModule = typeof import("feed", { with: { "resolution-mode": "import" } });

let loaded: Promise<FeedModule> | null = null;

export function feedLibrary(): Promise<FeedModule> {
  return (loaded ??= import("feed"));
}
