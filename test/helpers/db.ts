import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { loadConfig } from "../../src/config";
import { type Database, migrate, openDatabase } from "../../src/db/dataSource";

export type DatabaseKind = "sqlite" | "mysql";

const testConfig = loadConfig();

/** SQLite always; MySQL/MariaDB too when TEST_MYSQL_URL is set. */
export function databaseKinds(): DatabaseKind[] {
  return testConfig.testMysqlUrl ? ["sqlite", "mysql"] : ["sqlite"];
}

export interface TestDatabase {
  kind: DatabaseKind;
  db: Database;
  /** The URL (mysql) or file (sqlite) the database lives at. */
  location: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database: a temporary SQLite file, or a new MariaDB database that drop() removes. */
export async function createTestDatabase(kind: DatabaseKind, opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `ng_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-"));
    const file = path.join(dir, `${name}.sqlite`);
    const db = await openDatabase({ sqlitePath: file });
    if (opts.migrate !== false) await migrate(db);
    return {
      kind,
      db,
      location: file,
      async drop() {
        if (db.dataSource.isInitialized) await db.dataSource.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const serverUrl = new URL(testConfig.testMysqlUrl as string);
  serverUrl.pathname = "/";
  const admin = await mysql.createConnection({ uri: serverUrl.toString() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(serverUrl.toString());
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  if (opts.migrate !== false) await migrate(db);
  return {
    kind,
    db,
    location: url.toString(),
    async drop() {
      if (db.dataSource.isInitialized) await db.dataSource.destroy();
      const conn = await mysql.createConnection({ uri: serverUrl.toString() });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
