import { createHash } from "node:crypto";
import type { EntityManager } from "typeorm";
import { sideBySide } from "../../db/sideBySide";
import { placeholders } from "../../db/dialect";
import { slugifyTo } from "../../text/slug";

const SLUG_LENGTH = 80;
const NUMBERED = 4;

/**
 * Slugs a title may get, best first: its own, then numbered, then one no
 * other title shares. Most titles get their first choice, so the rest of
 * the list (and the hash in its last choice) is made when it is first asked for.
 */
export class SlugCandidates {
  readonly first: string;
  private readonly short: string;
  private list: string[] | undefined;

  constructor(
    title: string,
    private readonly identity: string,
  ) {
    [this.first, this.short] = slugifyTo(title, [SLUG_LENGTH, SLUG_LENGTH - 9], "article");
  }

  /** The choices looked at so far: the first alone until the rest is asked for. */
  get soFar(): readonly string[] {
    return this.list ?? [this.first];
  }

  get all(): string[] {
    if (!this.list) {
      const numbered = Array.from({ length: NUMBERED }, (_, i) => `${this.short}-${i + 2}`);
      const hash = createHash("sha1").update(this.identity).digest("hex").slice(0, 8);
      this.list = [this.first, ...numbered, `${this.short}-${hash}`];
    }
    return this.list;
  }
}

export function slugCandidates(title: string, identity: string): SlugCandidates {
  return new SlugCandidates(title, identity);
}

export interface SlugRequest {
  title: string;
  identity: string;
  /** The article that already holds a slug (a stub being filled): its own slug counts as free for it. */
  owner: number | null;
  /** slugCandidates(title, identity), when the caller has them already. */
  candidates?: SlugCandidates;
}

/**
 * Slugs for one page's requests, in order. `holderOf` says which article
 * holds a slug (undefined: none); slugs handed out here count as taken for
 * the requests after them.
 */
export function chooseSlugs(wanted: readonly SlugRequest[], holderOf: (slug: string) => number | undefined): string[] {
  const taken = new Map<string, number>();
  return wanted.map((w) => {
    const options = w.candidates ?? slugCandidates(w.title, w.identity);
    const free = (s: string) => {
      const holder = taken.has(s) ? taken.get(s) : holderOf(s);
      return holder === undefined || holder === w.owner;
    };
    const slug = free(options.first) ? options.first : options.all.find(free);
    if (slug === undefined) throw new Error(`No free slug for the title "${w.title}" (tried ${options.all.join(", ")}).`);
    taken.set(slug, w.owner ?? -1);
    return slug;
  });
}

/** Which of these slugs articles hold, in one statement per few hundred. */
export async function slugHolders(m: EntityManager, slugs: Iterable<string>): Promise<Map<string, number>> {
  const all = [...new Set(slugs)];
  const held = new Map<string, number>();
  const CHUNK = 1000;
  const reads: Promise<{ id: unknown; slug: string }[]>[] = [];
  for (let i = 0; i < all.length; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    reads.push(m.query(`SELECT id, slug FROM article WHERE slug IN (${placeholders(chunk.length)})`, chunk));
  }
  for (const r of (await sideBySide(reads)).flat()) held.set(r.slug, Number(r.id));
  return held;
}

/**
 * Hands out unique article slugs for the articles one page creates or
 * renames, with a single lookup of every candidate. `owner` is the article
 * that already holds a slug (a stub being filled), so its own slug counts
 * as free for it.
 */
export class SlugAllocator {
  private readonly wanted: SlugRequest[] = [];

  request(title: string, identity: string, owner: number | null = null): number {
    this.wanted.push({ title, identity, owner });
    return this.wanted.length - 1;
  }

  async allocate(m: EntityManager): Promise<string[]> {
    if (this.wanted.length === 0) return [];
    const held = await slugHolders(
      m,
      this.wanted.flatMap((w) => slugCandidates(w.title, w.identity).all),
    );
    return chooseSlugs(this.wanted, (s) => held.get(s));
  }
}
