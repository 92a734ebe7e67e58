import { Article, Author, Collection, Image, LiveEntry, Tag } from "../../entities";
import { rowMapping } from "../../src/read/rows";
import { databaseKinds, createTestDatabase } from "../helpers/db";

// Each entity's TypeORM columns are what the reads select and map rows by
// (src/read/rows.ts); the migrations make the tables. Every column an entity
// declares must exist in its migrated table on both databases, and TypeORM's
// own metadata must name the same table.
const ENTITIES = [
  [Article, "article"],
  [Author, "author"],
  [Tag, "tag"],
  [Collection, "collection"],
  [Image, "image"],
  [LiveEntry, "live_entry"],
] as const;

describe.each(databaseKinds())("entities against the migrated tables on %s", (kind) => {
  test.each(ENTITIES.map(([entity, table]) => [entity.name, entity, table] as const))("%s: every declared column is selectable", async (_name, entity, table) => {
    const database = await createTestDatabase(kind);
    try {
      expect(database.db.dataSource.getMetadata(entity).tableName).toBe(table);
      const { columns } = rowMapping(entity as new () => object, "x");
      await expect(database.db.dataSource.query(`SELECT ${columns} FROM ${table} x WHERE 1 = 0`)).resolves.toEqual([]);
    } finally {
      await database.drop();
    }
  });
});
