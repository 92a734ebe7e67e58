import type { MediaConfig } from "../config";
import { LocalMediaStore } from "./localStore";

/**
 * Where originals and renditions live: bytes under a key such as
 * `originals/<sha256>` or `renditions/<image>/<version>/<spec>.<ext>`.
 * Keys are written once and never changed in place, so several gateway
 * instances sharing one store never see a half-written object.
 */
export interface MediaStore {
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Removes every object whose key starts with `prefix`. */
  deletePrefix(prefix: string): Promise<void>;
  /** Every key under `prefix` (tests and maintenance). */
  list(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

/** The configured bucket, or the local folder when there is none. */
export function createMediaStore(config: MediaConfig): MediaStore {
  if (!config.s3) return new LocalMediaStore(config.dir);
  // The AWS SDK is loaded only by instances configured for a bucket.
  const { S3MediaStore } = require("./s3Store") as typeof import("./s3Store");
  return new S3MediaStore(config.s3);
}
