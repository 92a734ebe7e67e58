import type { MigrationInterface, QueryRunner } from "typeorm";
import { columnTypes } from "../dialect";

// Webhook endpoints and their outbox (src/webhooks/). A delivery row is
// written in the same transaction as the change it announces and keeps its
// body, so every attempt sends the same bytes; lease_owner/lease_until let
// exactly one instance attempt it at a time.
export class Webhooks1700000001450 implements MigrationInterface {
  name = "Webhooks1700000001450";

  async up(qr: QueryRunner): Promise<void> {
    const { mysql, id, text, time, table } = columnTypes(qr);
    const bigId = mysql ? "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
    await qr.query(`CREATE TABLE webhook (
      id ${id},
      url VARCHAR(2048) NOT NULL,
      events VARCHAR(255) NOT NULL,
      description VARCHAR(500) NULL,
      secret VARCHAR(100) NOT NULL,
      created_at ${time} NOT NULL,
      updated_at ${time} NOT NULL
    )${table}`);
    await qr.query(`CREATE TABLE webhook_delivery (
      id ${bigId},
      delivery_id CHAR(36) NOT NULL,
      webhook_id INT NOT NULL,
      event VARCHAR(32) NOT NULL,
      article_id INT NULL,
      payload ${text} NOT NULL,
      status VARCHAR(16) NOT NULL,
      attempts INT NOT NULL DEFAULT 0,
      next_attempt_at ${time} NULL,
      lease_owner VARCHAR(100) NULL,
      lease_until ${time} NULL,
      last_attempt_at ${time} NULL,
      last_status_code INT NULL,
      last_error VARCHAR(500) NULL,
      created_at ${time} NOT NULL,
      delivered_at ${time} NULL,
      CONSTRAINT webhook_delivery_delivery_id UNIQUE (delivery_id)
    )${table}`);
    // Due work, the earlier deliveries of the same article and endpoint, and an endpoint's history.
    await qr.query("CREATE INDEX webhook_delivery_due ON webhook_delivery (status, next_attempt_at)");
    await qr.query("CREATE INDEX webhook_delivery_article ON webhook_delivery (webhook_id, article_id, status, id)");
    await qr.query("CREATE INDEX webhook_delivery_webhook ON webhook_delivery (webhook_id, id)");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query("DROP TABLE webhook_delivery");
    await qr.query("DROP TABLE webhook");
  }
}
