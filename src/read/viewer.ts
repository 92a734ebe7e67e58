/** Who is asking. Readers see published content; editors and admins also see drafts. */
export type Role = "reader" | "editor" | "admin";

export interface Viewer {
  role: Role;
  /** Name of the API key used, for logs. */
  keyName?: string;
}

export const READER: Viewer = Object.freeze({ role: "reader" });

export function canSeeDrafts(viewer: Viewer): boolean {
  return viewer.role === "editor" || viewer.role === "admin";
}

/** SQL condition on alias `a` for an article the viewer may open by id, slug or path, or reach through an edge or a collection (stubs included). */
export function visibleArticleSql(viewer: Viewer, alias = "a"): string {
  return canSeeDrafts(viewer)
    ? `${alias}.deleted_at IS NULL`
    : // Listed by what readers may see, so that a new status (SCHEDULED) stays hidden unless named here.
      `${alias}.deleted_at IS NULL AND ${alias}.status IN ('PUBLISHED', 'STUB')`;
}

/** SQL condition on alias `a` for an article that may appear in a list (published only). */
export function listedArticleSql(alias = "a"): string {
  return `${alias}.deleted_at IS NULL AND ${alias}.status = 'PUBLISHED'`;
}
