import { Counter } from "prom-client";
import { registry } from "../server/metrics/metrics";

export const renditionsServed = new Counter({
  name: "newsgraph_media_renditions_served_total",
  help: "Rendition requests answered, by where the bytes came from: made (resized for this request or one it waited for) or stored (read from the media store).",
  labelNames: ["source"] as const,
  registers: [registry],
});

export const renditionsMade = new Counter({
  name: "newsgraph_media_renditions_made_total",
  help: "Renditions resized from an original and written to the media store (once per rendition, however many ask at once).",
  registers: [registry],
});

export const imagesUploaded = new Counter({
  name: "newsgraph_media_uploads_total",
  help: "Image uploads by outcome: stored (new), duplicate (the same bytes were already stored) or refused.",
  labelNames: ["outcome"] as const,
  registers: [registry],
});
