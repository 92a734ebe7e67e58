import { createHash } from "node:crypto";
import type { EntityManager } from "typeorm";
import { placeholders } from "../../db/dialect";
import { slugify } from "../../text/slug";

const SLUG_LENGTH = 80;
const NUMBERED = 4;

/** Slugs a title may get, best first: its own, then numbered, then one no other title shares. */
function candidates(title: string, identity: string): string[] {
  const base = slugify(title, SLUG_LENGTH, "article");
  const short = slugify(title, SLUG_LENGTH - 9, "article");
  const numbered = Array.from({ length: NUMBERED }, (_, i) => `${short}-${i + 2}`);
  const hash = createHash("sha1").update(identity).digest("hex").slice(0, 8);
  return [base, ...numbered, `${short}-${hash}`];
}

/**
 * Hands out unique article slugs for the articles one page creates or
 * renames, with a single lookup of every candidate. `owner` is the article
 * that already holds a slug (a stub being filled), so its own slug counts
 * as free for it.
 */
export class SlugAllocator {
  private readonly wanted: { title: string; identity: string; owner: number | null }[] = [];
  private taken = new Map<string, number>();

  request(title: string, identity: string, owner: number | null = null): number {
    this.wanted.push({ title, identity, owner });
    return this.wanted.length - 1;
  }

  async allocate(m: EntityManager): Promise<string[]> {
    if (this.wanted.length === 0) return [];
    const all = [...new Set(this.wanted.flatMap((w) => candidates(w.title, w.identity)))];
    const rows: { id: unknown; slug: string }[] = await m.query(
      `SELECT id, slug FROM article WHERE slug IN (${placeholders(all.length)})`,
      all,
    );
    this.taken = new Map(rows.map((r) => [r.slug, Number(r.id)]));
    return this.wanted.map((w) => {
      const options = candidates(w.title, w.identity);
      const slug = options.find((s) => !this.taken.has(s) || this.taken.get(s) === w.owner);
      if (slug === undefined) throw new Error(`No free slug for the title "${w.title}" (tried ${options.join(", ")}).`);
      this.taken.set(slug, w.owner ?? -1);
      return slug;
    });
  }
}
