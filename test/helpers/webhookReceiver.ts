import { createHmac } from "node:crypto";
import http from "node:http";

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** How the receiver answers one request: a status after an optional delay. */
export interface Answer {
  status: number;
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  received: Received[];
  /** Decides each answer; the default answers 200 at once. */
  answer: (request: Received, index: number) => Answer;
  /** Resolves once `n` requests have arrived (polling; generous for loaded machines). */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** A real HTTP endpoint on loopback, port 0, that records what it is sent. */
export async function startReceiver(path = "/hook"): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const receiver: WebhookReceiver = {
    url: "",
    port: 0,
    received,
    answer: () => ({ status: 200 }),
    async waitFor(n, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} webhook requests within ${timeoutMs} ms, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return received.slice(0, n);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      const index = received.push(request) - 1;
      const answer = receiver.answer(request, index);
      const reply = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { "content-type": "text/plain", ...(answer.headers ?? {}) });
        res.end("ok");
      };
      if (!answer.delayMs) return reply();
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply();
      }, answer.delayMs);
      timers.add(timer);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  receiver.port = (server.address() as import("node:net").AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}${path}`;
  return receiver;
}

/**
 * Checks X-Newsgraph-Signature as a receiver would, written out here
 * rather than with the gateway's code: HMAC-SHA256 of "<t>.<body>" keyed
 * with the secret, hex, and a time close to now.
 */
export function signatureIsValid(secret: string, request: Received, toleranceSeconds = 300): boolean {
  const header = String(request.headers["x-newsgraph-signature"] ?? "");
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const t = Number(match[1]);
  if (Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${request.body}`).digest("hex");
  return expected === match[2];
}
