import type { DataSource } from "typeorm";
import type { Media } from "../../media/media";
import { seedImages } from "../../media/seedImages";
import { type CorpusOptions, generateCorpus } from "./corpus";
import { type SeedReport, writeCorpus } from "./writeCorpus";

export interface SeedDatabaseReport extends SeedReport {
  pictures: number;
  /** Milliseconds spent drawing the pictures and giving the articles theirs. */
  picturesMs: number;
}

/**
 * What `newsgraph seed` does, and the benchmark's seed with it: the
 * generated corpus written into an empty database, then the pictures. The
 * time reported covers both.
 */
export async function seedDatabase(
  ds: DataSource,
  options: CorpusOptions,
  media: Media,
  onProgress?: (done: number, total: number) => void,
): Promise<SeedDatabaseReport> {
  const report = await writeCorpus(ds, generateCorpus(options), onProgress);
  const started = Date.now();
  const pictures = await seedImages(ds, media, options.seed);
  const picturesMs = Date.now() - started;
  return { ...report, ms: report.ms + picturesMs, pictures: pictures.images, picturesMs };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** The line the seed prints: the total and where the time went. */
export function describeSeed(r: SeedDatabaseReport): string {
  return (
    `Seeded ${r.articles} articles, ${r.authors} authors, ${r.tags} tags, ${r.pictures} pictures in ${seconds(r.ms)} s ` +
    `(rows ${seconds(r.phases.rows)} s, indexes ${seconds(r.phases.indexes)} s, derived tables ${seconds(r.phases.derived)} s ` +
    `[neighbours ${seconds(r.derived.neighbours)} s, archive ${seconds(r.derived.archive)} s, counts ${seconds(r.derived.counts)} s, popular ${seconds(r.derived.popular)} s], ` +
    `statistics ${seconds(r.phases.analyze)} s, pictures ${seconds(r.picturesMs)} s).`
  );
}
