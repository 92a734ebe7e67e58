import type { DataSource, QueryRunner } from "typeorm";

/*
 * Bulk loads on MariaDB: InnoDB appends rows to a table's primary key
 * cheaply, but maintains every secondary B-tree index row by row, in random
 * order, through a buffer pool far smaller than a big archive. Built after
 * the load, each index is one sorted pass. (FULLTEXT indexes are another
 * matter: InnoDB batches their words in its full-text cache, and building
 * one afterwards took longer than keeping it; the seed keeps them.)
 * The definitions are read from the database itself, so indexes added by
 * later migrations come along without being listed here.
 */

export interface IndexDefinition {
  table: string;
  name: string;
  unique: boolean;
  fulltext: boolean;
  columns: { name: string; prefix: number | null }[];
}

const quote = (name: string) => `\`${name.replace(/`/g, "``")}\``;

/** Every index of these tables but the primary key, as the database holds it now. */
export async function secondaryIndexes(q: QueryRunner, tables: readonly string[]): Promise<IndexDefinition[]> {
  const rows: { table_name: string; index_name: string; non_unique: unknown; column_name: string; sub_part: unknown; index_type: string }[] = await q.query(
    `SELECT table_name AS table_name, index_name AS index_name, non_unique AS non_unique, column_name AS column_name, sub_part AS sub_part, index_type AS index_type
       FROM information_schema.statistics
      WHERE table_schema = DATABASE() AND index_name <> 'PRIMARY' AND table_name IN (${tables.map(() => "?").join(", ")})
      ORDER BY table_name, index_name, seq_in_index`,
    [...tables],
  );
  const found = new Map<string, IndexDefinition>();
  for (const r of rows) {
    const key = `${r.table_name}.${r.index_name}`;
    let def = found.get(key);
    if (!def) {
      def = { table: r.table_name, name: r.index_name, unique: Number(r.non_unique) === 0, fulltext: r.index_type === "FULLTEXT", columns: [] };
      found.set(key, def);
    }
    def.columns.push({ name: r.column_name, prefix: r.sub_part === null || r.sub_part === undefined ? null : Number(r.sub_part) });
  }
  return [...found.values()];
}

function byTable(defs: readonly IndexDefinition[]): Map<string, IndexDefinition[]> {
  const out = new Map<string, IndexDefinition[]>();
  for (const d of defs) out.set(d.table, [...(out.get(d.table) ?? []), d]);
  return out;
}

/** Drops the indexes, one ALTER TABLE per table. The session must have foreign_key_checks off (indexes that foreign keys use go too). */
export async function dropIndexes(q: QueryRunner, defs: readonly IndexDefinition[]): Promise<void> {
  for (const [table, list] of byTable(defs)) {
    await q.query(`ALTER TABLE ${quote(table)} ${list.map((d) => `DROP INDEX ${quote(d.name)}`).join(", ")}`);
  }
}

function indexSql(d: IndexDefinition): string {
  const kind = d.fulltext ? "FULLTEXT INDEX" : d.unique ? "UNIQUE INDEX" : "INDEX";
  const columns = d.columns.map((c) => `${quote(c.name)}${c.prefix === null ? "" : `(${c.prefix})`}`).join(", ");
  return `ADD ${kind} ${quote(d.name)} (${columns})`;
}

/**
 * Builds the indexes again: the B-tree indexes of a table in one ALTER
 * TABLE (one scan of the table, one sort per index), each FULLTEXT index
 * in its own (InnoDB builds one at a time).
 */
export async function addIndexes(q: QueryRunner, defs: readonly IndexDefinition[]): Promise<void> {
  for (const [table, list] of byTable(defs)) await addTableIndexes(q, table, list);
}

async function addTableIndexes(q: QueryRunner, table: string, list: readonly IndexDefinition[]): Promise<void> {
  const plain = list.filter((d) => !d.fulltext);
  if (plain.length > 0) await q.query(`ALTER TABLE ${quote(table)} ${plain.map(indexSql).join(", ")}`);
  for (const d of list.filter((x) => x.fulltext)) await q.query(`ALTER TABLE ${quote(table)} ${indexSql(d)}`);
}

/** As addIndexes, each table over a connection of its own, so that the server builds several tables' indexes at once. */
export async function addIndexesInParallel(ds: DataSource, defs: readonly IndexDefinition[]): Promise<void> {
  await Promise.all(
    [...byTable(defs)].map(async ([table, list]) => {
      const q = ds.createQueryRunner("master");
      try {
        await addTableIndexes(q, table, list);
      } finally {
        await q.release();
      }
    }),
  );
}
