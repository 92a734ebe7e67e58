import type { ExecutionResult } from "graphql";
import { type Client as SseClient, createClient as createSseClient } from "graphql-sse";
import { type Client as WsClient, createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";

/** What one subscription has received so far, with a way to wait for more. */
export class Received<T = Record<string, unknown>> {
  readonly results: ExecutionResult<T>[] = [];
  error: unknown;
  completed = false;
  private waiters: (() => void)[] = [];

  push(result: ExecutionResult<T>): void {
    this.results.push(result);
    this.wake();
  }

  fail(error: unknown): void {
    this.error = error;
    this.wake();
  }

  complete(): void {
    this.completed = true;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `done` holds; polls on every message, fails after timeoutMs. */
  async until(done: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received ${JSON.stringify(this.results)} error ${String(this.error)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The data of every result that carried data. */
  get data(): T[] {
    return this.results.filter((r) => r.data).map((r) => r.data as T);
  }
}

export interface LiveRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

/** graphql-ws's own client over `ws`, not retrying, recording how its socket closed. */
export function wsClient(httpUrl: string, opts: { key?: string } = {}): WsClient & { closes: { code: number; reason: string }[]; connected: () => boolean } {
  const closes: { code: number; reason: string }[] = [];
  let acknowledged = false;
  const client = createWsClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: opts.key ? { authorization: `Bearer ${opts.key}` } : undefined,
    retryAttempts: 0,
    lazy: true,
    on: {
      connected: () => {
        acknowledged = true;
      },
      closed: (event) => {
        const e = event as { code: number; reason: string };
        closes.push({ code: e.code, reason: String(e.reason) });
      },
    },
  });
  return Object.assign(client, { closes, connected: () => acknowledged });
}

/** graphql-sse's own client (distinct connections) for the gateway's /graphql/stream; `connected` counts the streams it opened. */
export function sseClient(httpUrl: string, opts: { key?: string } = {}): SseClient & { connected: () => number } {
  let opened = 0;
  const client = createSseClient({
    url: httpUrl.replace(/\/graphql$/, "/graphql/stream"),
    headers: opts.key ? { authorization: `Bearer ${opts.key}` } : {},
    retryAttempts: 0,
    on: {
      connected: () => {
        opened += 1;
      },
    },
  });
  return Object.assign(client, { connected: () => opened });
}

/** Subscribes with either client; the returned Received fills as events come. */
export function subscribe<T = Record<string, unknown>>(client: WsClient | SseClient, request: LiveRequest): { received: Received<T>; stop: () => void } {
  const received = new Received<T>();
  const stop = (client as WsClient).subscribe<T>(request as never, {
    next: (result) => received.push(result as ExecutionResult<T>),
    error: (error) => received.fail(error),
    complete: () => received.complete(),
  });
  return { received, stop };
}
