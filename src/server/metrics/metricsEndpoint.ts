import type http from "node:http";
import { registry } from "./metrics";

/** GET /metrics: the Prometheus text exposition of the process's registry. */
export async function sendMetrics(res: http.ServerResponse): Promise<void> {
  const body = await registry.metrics();
  res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
  res.end(body);
}
