import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { MediaConfig } from "../config";
import type { App } from "../graphql/context";
import { IMAGE_COLUMNS, toImage } from "../read/rows";
import { deleteImage, imageIdByHash, insertImage } from "./imageWrites";
import { imagesUploaded, renditionsMade, renditionsServed } from "./metrics";
import { FORMATS, imageVersion, renditionKey, renditionPrefix, type RenditionSpec } from "./renditionSpec";
import { createMediaStore, type MediaStore } from "./store";

/*
 * sharp (libvips) is loaded on the first upload or rendition, not with the
 * gateway: an instance that only serves stored renditions, or none, keeps
 * its memory.
 */
const imaging = {
  inspect: (...args: Parameters<typeof import("./inspect").inspectImage>) => (require("./inspect") as typeof import("./inspect")).inspectImage(...args),
  render: (...args: Parameters<typeof import("./render").renderRendition>) => (require("./render") as typeof import("./render")).renderRendition(...args),
};

export interface UploadedImage {
  id: number;
  width: number;
  height: number;
  contentType: string;
  byteSize: number;
  /** False when the same bytes had been uploaded before: the existing image is answered. */
  created: boolean;
}

export interface Rendition {
  bytes: Buffer;
  contentType: string;
  /** made: resized for this request (or one it joined); stored: read from the media store. */
  source: "made" | "stored";
}

export function originalKey(contentHash: string): string {
  return `originals/${contentHash}`;
}

/** Images' bytes: uploads in, renditions out, both through the media store. */
export class Media {
  private readonly inFlight = new Map<string, Promise<Buffer | null>>();

  constructor(
    readonly config: MediaConfig,
    readonly store: MediaStore,
  ) {}

  /**
   * Checks the bytes (type, pixels; src/media/inspect.ts), then stores the
   * original once per content and adds the image row. Throws MediaRefusal
   * before anything is stored.
   */
  async upload(ds: DataSource, bytes: Buffer, contentType: string | undefined): Promise<UploadedImage> {
    let inspected;
    try {
      inspected = await imaging.inspect(bytes, contentType, this.config.maxImagePixels);
    } catch (e) {
      imagesUploaded.inc({ outcome: "refused" });
      throw e;
    }
    const contentHash = createHash("sha256").update(bytes).digest("hex");
    const described = { ...inspected, byteSize: bytes.length };
    const existing = await imageIdByHash(ds, contentHash);
    if (existing !== null) {
      imagesUploaded.inc({ outcome: "duplicate" });
      return { id: existing, ...described, created: false };
    }
    // Bytes first, row second: a row never names an original that is not there.
    await this.store.put(originalKey(contentHash), bytes, inspected.contentType);
    const { id, created } = await insertImage(ds, { contentHash, ...described });
    imagesUploaded.inc({ outcome: created ? "stored" : "duplicate" });
    return { id, ...described, created };
  }

  /** Deletes the image (refused while an article shows it), then its original and renditions. */
  async delete(ds: DataSource, id: number): Promise<void> {
    const contentHash = await deleteImage(ds, id);
    await this.store.deletePrefix(renditionPrefix(id));
    await this.store.deletePrefix(originalKey(contentHash));
  }

  /**
   * The rendition's bytes, or null when the image does not exist (any more)
   * or has another version now. The store is asked first; a missing
   * rendition is made by one request per key in this process while the
   * others asking for it wait for that one.
   */
  async rendition(ds: DataSource, spec: RenditionSpec): Promise<Rendition | null> {
    const key = renditionKey(spec);
    const contentType = FORMATS[spec.format].contentType;
    let flight = this.inFlight.get(key);
    if (!flight) {
      const stored = await this.store.get(key);
      if (stored) {
        renditionsServed.inc({ source: "stored" });
        return { bytes: stored, contentType, source: "stored" };
      }
      // Another request may have started making it while the store answered.
      flight = this.inFlight.get(key);
      if (!flight) {
        flight = this.make(ds, spec, key).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, flight);
      }
    }
    const bytes = await flight;
    if (!bytes) return null;
    renditionsServed.inc({ source: "made" });
    return { bytes, contentType, source: "made" };
  }

  private async make(ds: DataSource, spec: RenditionSpec, key: string): Promise<Buffer | null> {
    const [row] = await ds.query(`SELECT ${IMAGE_COLUMNS} FROM image i WHERE i.id = ?`, [spec.imageId]);
    if (!row) return null;
    const image = toImage(row);
    if (imageVersion(image.contentHash, image.focalX, image.focalY) !== spec.version) return null;
    const original = await this.store.get(originalKey(image.contentHash));
    if (!original) throw new Error(`The original of image ${image.id} is missing from the media store.`);
    const bytes = await imaging.render(original, spec, { width: image.width, height: image.height, focal: { x: image.focalX, y: image.focalY } }, this.config.maxImagePixels);
    await this.store.put(key, bytes, FORMATS[spec.format].contentType);
    renditionsMade.inc();
    return bytes;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export function createMedia(config: MediaConfig): Media {
  return new Media(config, createMediaStore(config));
}

const attached = new WeakMap<App, Media>();

/** Makes `media` the app's: the gateway, the resolvers and the seed then share one store and one set of URL rules. */
export function attachMedia(app: App, media: Media): Media {
  attached.set(app, media);
  return media;
}

/** The app's media, made from its settings the first time it is asked for. */
export function mediaOf(app: App): Media {
  return attached.get(app) ?? attachMedia(app, createMedia(app.config.media));
}

/** Forgets and closes the app's media, if it has any. */
export async function closeMedia(app: App): Promise<void> {
  const media = attached.get(app);
  attached.delete(app);
  await media?.close();
}
