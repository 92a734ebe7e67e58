import http from "node:http";
import https from "node:https";
import { EndpointRefused, endpointUrl, pinnedLookup, resolveEndpoint } from "./endpointAddress";

export interface AttemptOutcome {
  /** The endpoint answered 2xx. */
  ok: boolean;
  /** The HTTP status it answered, or null when there was no answer. */
  statusCode: number | null;
  /** Why the attempt failed, for webhookDeliveries; null on success. */
  error: string | null;
}

/** The most of an answer's body that is read; the rest is cut (receivers are told to answer quickly and briefly). */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST to an endpoint: its host is resolved and checked again now,
 * the connection goes to the checked address, redirects are not followed
 * (a 3xx is a failed attempt), and everything from the lookup to the end of
 * the answer must fit in `timeoutMs`.
 */
export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<AttemptOutcome> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
  const timedOut = new Promise<never>((_, reject) =>
    abort.signal.addEventListener("abort", () => reject(new Error(`no answer within ${opts.timeoutMs} ms`)), { once: true }),
  );
  timedOut.catch(() => undefined);
  try {
    const url = endpointUrl(rawUrl);
    const address = await Promise.race([resolveEndpoint(url, opts.allowPrivate), timedOut]);
    const statusCode = await Promise.race([send(url, address, body, headers, abort.signal), timedOut]);
    const ok = statusCode >= 200 && statusCode < 300;
    return { ok, statusCode, error: ok ? null : `the endpoint answered HTTP ${statusCode}` };
  } catch (e) {
    const message = e instanceof EndpointRefused ? `refused: ${e.message}` : e instanceof Error ? e.message : String(e);
    return { ok: false, statusCode: null, error: message.slice(0, 500) };
  } finally {
    clearTimeout(timer);
  }
}

function send(
  url: URL,
  address: Awaited<ReturnType<typeof resolveEndpoint>>,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === "https:" ? https.request : http.request;
    const req = request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(address) as never,
        // A fresh connection per attempt: a pooled one could have been made to an address checked earlier.
        agent: false,
        signal,
      },
      (res) => {
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on("close", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
