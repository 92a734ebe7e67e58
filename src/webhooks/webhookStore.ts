import type { DataSource } from "typeorm";
import { fromDbTime, toDbTime } from "../db/time";
import { updateSet } from "../db/updateSet";
import { insertedId } from "../write/ingest/rows";
import { eventsOf, type WebhookDeliveryStatus, type WebhookEvent } from "./events";
import { newWebhookSecret } from "./signature";

/** An endpoint as admins see it; its secret is only ever returned by createWebhook. */
export interface StoredWebhook {
  id: number;
  url: string;
  events: WebhookEvent[];
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredDelivery {
  /** Row id: the order deliveries were written in (and the cursor of webhookDeliveries). */
  seq: number;
  deliveryId: string;
  event: WebhookEvent;
  articleId: number | null;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookFields {
  url?: string;
  events?: WebhookEvent[];
  description?: string | null;
}

const COLUMNS = "id, url, events, description, created_at, updated_at";

function toWebhook(row: Record<string, unknown>): StoredWebhook {
  return {
    id: Number(row.id),
    url: String(row.url),
    events: eventsOf(String(row.events)),
    description: row.description === null ? null : String(row.description),
    createdAt: fromDbTime(row.created_at) as Date,
    updatedAt: fromDbTime(row.updated_at) as Date,
  };
}

function toDelivery(row: Record<string, unknown>): StoredDelivery {
  const number = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    seq: Number(row.id),
    deliveryId: String(row.delivery_id),
    event: row.event as WebhookEvent,
    articleId: number(row.article_id),
    payload: String(row.payload),
    status: row.status as WebhookDeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: fromDbTime(row.next_attempt_at),
    lastAttemptAt: fromDbTime(row.last_attempt_at),
    lastStatusCode: number(row.last_status_code),
    lastError: row.last_error === null ? null : String(row.last_error),
    createdAt: fromDbTime(row.created_at) as Date,
    deliveredAt: fromDbTime(row.delivered_at),
  };
}

export async function findWebhook(ds: DataSource, id: number): Promise<StoredWebhook | null> {
  const [row] = await ds.query(`SELECT ${COLUMNS} FROM webhook WHERE id = ?`, [id]);
  return row ? toWebhook(row) : null;
}

/**
 * Stores an endpoint with a new signing secret. Unlike an API key the
 * secret itself is kept (every delivery is signed with it); it is returned
 * here and never again.
 */
export async function createWebhook(ds: DataSource, fields: Required<WebhookFields>): Promise<{ webhook: StoredWebhook; secret: string }> {
  const secret = newWebhookSecret();
  const now = toDbTime(new Date());
  const id = insertedId(
    await ds.query("INSERT INTO webhook (url, events, description, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", [
      fields.url,
      fields.events.join(","),
      fields.description,
      secret,
      now,
      now,
    ]),
  );
  return { webhook: (await findWebhook(ds, id)) as StoredWebhook, secret };
}

export async function listWebhooks(ds: DataSource): Promise<StoredWebhook[]> {
  const rows: Record<string, unknown>[] = await ds.query(`SELECT ${COLUMNS} FROM webhook ORDER BY id`);
  return rows.map(toWebhook);
}

/** Changes the given fields; deliveries not yet made go to the new URL. Null when there is no such webhook. */
export async function updateWebhook(ds: DataSource, id: number, fields: WebhookFields): Promise<StoredWebhook | null> {
  const set = updateSet({ updated_at: toDbTime(new Date()) }, { url: fields.url, events: fields.events?.join(","), description: fields.description });
  await ds.query(`UPDATE webhook SET ${set.sql} WHERE id = ?`, [...set.params, id]);
  return findWebhook(ds, id);
}

/** Removes the endpoint and its deliveries, made or not (none is attempted after this commits). */
export async function deleteWebhook(ds: DataSource, id: number): Promise<boolean> {
  return ds.transaction(async (m) => {
    const [row] = await m.query("SELECT id FROM webhook WHERE id = ?", [id]);
    if (!row) return false;
    await m.query("DELETE FROM webhook_delivery WHERE webhook_id = ?", [id]);
    await m.query("DELETE FROM webhook WHERE id = ?", [id]);
    return true;
  });
}

/** An endpoint's deliveries, newest first, `limit` after the row `afterSeq` (exclusive). */
export async function listDeliveries(ds: DataSource, webhookId: number, limit: number, afterSeq: number | null): Promise<StoredDelivery[]> {
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT * FROM webhook_delivery WHERE webhook_id = ?${afterSeq === null ? "" : " AND id < ?"} ORDER BY id DESC LIMIT ${Number(limit)}`,
    afterSeq === null ? [webhookId] : [webhookId, afterSeq],
  );
  return rows.map(toDelivery);
}
