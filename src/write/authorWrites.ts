import type { DataSource, EntityManager } from "typeorm";
import { contentCommitted } from "../db/commits";
import { badUserInput } from "../graphql/errors";
import { insertedId } from "./ingest/rows";
import { slugify } from "../text/slug";

export interface AuthorFields {
  name?: string;
  slug?: string | null;
  email?: string | null;
}

async function checkSlugFree(m: EntityManager, slug: string, ownId: number | null): Promise<void> {
  const [row] = await m.query("SELECT id FROM author WHERE slug = ?", [slug]);
  if (row && Number(row.id) !== ownId) throw badUserInput("slug is already used by another author.", "slug");
}

/** Returns the new author's id; the slug defaults to the transliterated name. */
export async function createAuthor(ds: DataSource, fields: AuthorFields & { name: string }): Promise<number> {
  return ds.transaction(async (m) => {
    const slug = fields.slug ?? slugify(fields.name, 80, "author");
    await checkSlugFree(m, slug, null);
    return insertedId(await m.query("INSERT INTO author (name, slug, email) VALUES (?, ?, ?)", [fields.name, slug, fields.email ?? null]));
  });
}

export async function updateAuthor(ds: DataSource, id: number, fields: AuthorFields): Promise<void> {
  await ds.transaction(async (m) => {
    const [row] = await m.query("SELECT id FROM author WHERE id = ?", [id]);
    if (!row) throw badUserInput("id names no author.", "id");
    if (fields.slug) await checkSlugFree(m, fields.slug, id);
    const changes: [string, unknown][] = [
      ["name", fields.name],
      ["slug", fields.slug || undefined],
      ["email", fields.email],
    ];
    const set = changes.filter(([, value]) => value !== undefined);
    if (set.length > 0) {
      await m.query(`UPDATE author SET ${set.map(([column]) => `${column} = ?`).join(", ")} WHERE id = ?`, [...set.map(([, v]) => v), id]);
      // Cached article pages show the author's name: retire them once this commits.
      await contentCommitted(m);
    }
  });
}
