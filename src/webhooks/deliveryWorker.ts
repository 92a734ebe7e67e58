import { randomBytes } from "node:crypto";
import os from "node:os";
import type { DataSource } from "typeorm";
import type { WebhookConfig } from "../config";
import { dialectOf, placeholders } from "../db/dialect";
import { fromDbTime, toDbTime } from "../db/time";
import type { Logger } from "../logger";
import { PollingLoop } from "../server/pollingLoop";
import { WebhookDeliveryStatus } from "./events";
import { type AttemptOutcome, postWebhook } from "./postWebhook";
import { signatureHeader } from "./signature";

/** Deliveries attempted at once by one instance. */
const BATCH = 8;
/** The longest wait between two attempts of a delivery. */
const MAX_RETRY_DELAY_MS = 3_600_000;
/** Finished deliveries removed per statement, and how often the worker removes them. */
const PRUNE_BATCH = 1000;
const PRUNE_EVERY_MS = 60_000;

/** Wait after failed attempt number `attempts` (1 = the first): base, 2 × base, 4 × base ..., at most an hour. */
export function retryDelayMs(baseMs: number, attempts: number): number {
  return Math.min(baseMs * 2 ** Math.min(attempts - 1, 30), MAX_RETRY_DELAY_MS);
}

export interface Claimed {
  id: number;
  deliveryId: string;
  event: string;
  payload: string;
  attempts: number;
  createdAt: Date;
  url: string;
  secret: string;
  /** The lease token this worker claimed it with. */
  lease: string;
}

/**
 * Sends the outbox (src/webhooks/outbox.ts). Any number of instances may
 * run one over the same database: a delivery is claimed with a lease, a
 * conditional UPDATE that only one of them can win until the lease runs
 * out, so only one instance attempts it; if that instance dies mid-attempt
 * the lease expires and another retries it (at least once, never lost).
 * A delivery waits while an earlier one for the same article and endpoint
 * is pending, so each endpoint hears of an article's changes in order.
 */
export class WebhookWorker {
  /** Who holds a lease: this process (host name, pid, random). */
  readonly owner = `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private lastPrune = 0;
  private readonly loop = new PollingLoop(
    async () => {
      if (Date.now() - this.lastPrune >= PRUNE_EVERY_MS) {
        this.lastPrune = Date.now();
        await this.pruneHistory();
      }
      return (await this.deliverDue()) === BATCH;
    },
    () => this.settings.pollMs,
    (err) => this.logger.warn({ err }, "webhook deliveries could not be read; trying again"),
  );

  constructor(
    private readonly ds: DataSource,
    private readonly settings: WebhookConfig,
    private readonly logger: Logger,
  ) {}

  /** A lease outlives an attempt (which the timeout bounds) with room for recording its outcome. */
  get leaseMs(): number {
    return 2 * this.settings.timeoutMs + 30_000;
  }

  start(): void {
    this.loop.start();
  }

  /** Claims nothing more and waits for the attempts in flight (the timeout bounds them). */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Claims the deliveries that are due and attempts them; resolves to how many were attempted. */
  async deliverDue(now = new Date()): Promise<number> {
    const claimed = await this.lease(await this.due(now), now);
    await Promise.all(claimed.map((d) => this.attempt(d)));
    return claimed.length;
  }

  /**
   * Removes finished deliveries (delivered, or failed for good) older than
   * the history keeps (WEBHOOK_HISTORY_DAYS), a bounded batch per statement
   * so that the table does not grow for ever and no pass holds locks for
   * long; pending ones are never removed. Resolves to how many went. Every
   * instance may run it: a row is deleted once whoever gets there first.
   */
  async pruneHistory(now = new Date()): Promise<number> {
    const before = toDbTime(new Date(now.getTime() - this.settings.historyMs));
    const finished = [WebhookDeliveryStatus.DELIVERED, WebhookDeliveryStatus.FAILED];
    const where = `status IN (?, ?) AND created_at < ?`;
    // Oldest first by id (ids grow with creation), so each statement stops after a batch of old rows.
    const sql =
      dialectOf(this.ds) === "mysql"
        ? `DELETE FROM webhook_delivery WHERE ${where} ORDER BY id LIMIT ${PRUNE_BATCH}`
        : `DELETE FROM webhook_delivery WHERE id IN (SELECT id FROM webhook_delivery WHERE ${where} ORDER BY id LIMIT ${PRUNE_BATCH})`;
    const runner = this.ds.createQueryRunner();
    try {
      // The structured result carries the affected rows on both drivers.
      return (await runner.query(sql, [...finished, before], true)).affected ?? 0;
    } finally {
      await runner.release();
    }
  }

  /**
   * Deliveries whose time has come, that no live lease holds, and that no
   * earlier pending delivery of the same article and endpoint is ahead of.
   * Other instances may see the same rows: lease() decides who gets them.
   */
  async due(now: Date): Promise<number[]> {
    const at = toDbTime(now);
    const rows: { id: unknown }[] = await this.ds.query(
      `SELECT d.id FROM webhook_delivery d
       WHERE d.status = ? AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
         AND NOT EXISTS (SELECT 1 FROM webhook_delivery e
                         WHERE e.webhook_id = d.webhook_id AND e.article_id = d.article_id AND e.status = ? AND e.id < d.id)
       ORDER BY d.next_attempt_at, d.id LIMIT ${BATCH}`,
      [WebhookDeliveryStatus.PENDING, at, at, WebhookDeliveryStatus.PENDING],
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * Takes a lease on those of `ids` that are still pending and unleased,
   * with one conditional UPDATE (the database lets one instance win each
   * row), and returns the ones this call won.
   */
  async lease(ids: readonly number[], now: Date): Promise<Claimed[]> {
    if (ids.length === 0) return [];
    // The lease token is new for each claim, so this worker reads back exactly the rows this UPDATE won.
    const token = `${this.owner}:${randomBytes(4).toString("hex")}`;
    await this.ds.query(
      `UPDATE webhook_delivery SET lease_owner = ?, lease_until = ?
       WHERE id IN (${placeholders(ids.length)}) AND status = ? AND (lease_until IS NULL OR lease_until < ?)`,
      [token, toDbTime(new Date(now.getTime() + this.leaseMs)), ...ids, WebhookDeliveryStatus.PENDING, toDbTime(now)],
    );
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT d.id, d.delivery_id, d.event, d.payload, d.attempts, d.created_at, w.url, w.secret
       FROM webhook_delivery d JOIN webhook w ON w.id = d.webhook_id
       WHERE d.id IN (${placeholders(ids.length)}) AND d.lease_owner = ? ORDER BY d.id`,
      [...ids, token],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      deliveryId: String(r.delivery_id),
      event: String(r.event),
      payload: String(r.payload),
      attempts: Number(r.attempts),
      createdAt: fromDbTime(r.created_at) as Date,
      url: String(r.url),
      secret: String(r.secret),
      lease: token,
    }));
  }

  private async attempt(d: Claimed): Promise<void> {
    const headers = {
      "content-type": "application/json",
      "user-agent": "newsgraph-webhooks",
      "x-newsgraph-delivery": d.deliveryId,
      "x-newsgraph-event": d.event,
      "x-newsgraph-signature": signatureHeader(d.secret, d.payload, Math.floor(Date.now() / 1000)),
    };
    const outcome = await postWebhook(d.url, d.payload, headers, {
      timeoutMs: this.settings.timeoutMs,
      allowPrivate: this.settings.allowPrivate,
    });
    try {
      await this.record(d, outcome);
    } catch (err) {
      // The lease runs out and the delivery is attempted again: at least once.
      this.logger.warn({ err, delivery: d.deliveryId }, "webhook attempt made but not recorded");
    }
  }

  private async record(d: Claimed, outcome: AttemptOutcome): Promise<void> {
    const now = new Date();
    const attempts = d.attempts + 1;
    let status: WebhookDeliveryStatus = WebhookDeliveryStatus.DELIVERED;
    let next: Date | null = null;
    if (!outcome.ok) {
      next = new Date(now.getTime() + retryDelayMs(this.settings.retryBaseMs, attempts));
      status =
        next.getTime() - d.createdAt.getTime() > this.settings.retryWindowMs ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING;
      if (status === WebhookDeliveryStatus.FAILED) next = null;
      this.logger[status === WebhookDeliveryStatus.FAILED ? "warn" : "info"](
        { delivery: d.deliveryId, attempts, statusCode: outcome.statusCode, error: outcome.error, nextAttemptAt: next },
        status === WebhookDeliveryStatus.FAILED ? "webhook delivery failed for good" : "webhook attempt failed; retrying",
      );
    }
    await this.ds.query(
      `UPDATE webhook_delivery SET status = ?, attempts = ?, last_attempt_at = ?, last_status_code = ?, last_error = ?,
         next_attempt_at = ?, delivered_at = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND lease_owner = ?`,
      [
        status,
        attempts,
        toDbTime(now),
        outcome.statusCode,
        outcome.error,
        next ? toDbTime(next) : null,
        outcome.ok ? toDbTime(now) : null,
        d.id,
        d.lease,
      ],
    );
  }
}
