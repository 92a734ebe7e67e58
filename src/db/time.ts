// Times are stored as UTC. SQLite hands back "YYYY-MM-DD HH:MM:SS.SSS"
// strings; mysql2 (timezone "Z") hands back Date objects. Both go in as the
// same string so that raw SQL and TypeORM agree.

export function toDbTime(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

export function fromDbTime(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const s = String(value);
  return new Date(s.includes("T") ? s : `${s.replace(" ", "T")}${s.endsWith("Z") ? "" : "Z"}`);
}

/** YYYY-MM-DD of a time, in UTC. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
