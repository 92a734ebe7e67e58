import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../dialect";

// API keys for editors and admins. Only the SHA-256 of a key is stored
// (src/write/keys/apiKeys.ts says why that hash is enough); `name` is how people
// refer to a key in `keys list` / `keys revoke` and in the logs.
export class ApiKeys1700000000400 implements MigrationInterface {
  name = "ApiKeys1700000000400";

  async up(qr: QueryRunner): Promise<void> {
    const { id, time, table } = columnTypes(qr);
    await qr.query(`CREATE TABLE api_key (
      id ${id},
      name VARCHAR(191) NOT NULL,
      key_hash CHAR(64) NOT NULL,
      role VARCHAR(16) NOT NULL,
      rate_limit INT NOT NULL,
      created_at ${time} NOT NULL,
      revoked_at ${time} NULL,
      CONSTRAINT api_key_name UNIQUE (name),
      CONSTRAINT api_key_hash UNIQUE (key_hash)
    )${table}`);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE api_key");
  }
}
