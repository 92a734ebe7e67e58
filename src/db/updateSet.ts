/**
 * The SET clause of an UPDATE that changes only the given columns: a value
 * of undefined leaves its column out (null writes NULL). `always` columns
 * come first, e.g. the row's updated_at.
 */
export function updateSet(always: Record<string, unknown>, fields: Record<string, unknown>): { sql: string; params: unknown[] } {
  const entries = [...Object.entries(always), ...Object.entries(fields).filter(([, value]) => value !== undefined)];
  return { sql: entries.map(([column]) => `${column} = ?`).join(", "), params: entries.map(([, value]) => value) };
}
