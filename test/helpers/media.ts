import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import S3rver from "s3rver";
import sharp from "sharp";

export type StoreKind = "local" | "s3";

export interface TestStore {
  kind: StoreKind;
  /** Environment that points a gateway's media at this store. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A folder, or an S3-protocol server (s3rver) on loopback with a bucket, both under os.tmpdir(). */
export async function startTestStore(kind: StoreKind): Promise<TestStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `newsgraph-${kind}-store-`));
  if (kind === "local") {
    return { kind, env: { MEDIA_DIR: dir }, close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, configureBuckets: [{ name: "newsgraph-media" }] });
  const { port } = await server.run();
  return {
    kind,
    env: {
      MEDIA_S3_BUCKET: "newsgraph-media",
      MEDIA_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      MEDIA_S3_REGION: "us-east-1",
      MEDIA_S3_ACCESS_KEY_ID: "S3RVER",
      MEDIA_S3_SECRET_ACCESS_KEY: "S3RVER",
      MEDIA_S3_PREFIX: "site-a",
    },
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A photo-like JPEG carrying EXIF with a GPS position, as a phone writes it. */
export function photoWithGps(width: number, height: number, hue = 200): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="hsl(${hue},60%,70%)"/>
    <circle cx="${width * 0.8}" cy="${height * 0.3}" r="${height * 0.15}" fill="hsl(${(hue + 150) % 360},80%,40%)"/>
  </svg>`;
  return sharp(Buffer.from(svg))
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: "TestPhone", Model: "Newsgraph 1", Copyright: "Newsgraph tests" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 10/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "71/1 26/1 0/1" },
    })
    .toBuffer();
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A real decompression bomb: a valid grey PNG of side×side pixels whose
 * rows are all zeros, so a few hundred kilobytes inflate to side² bytes.
 */
export async function pngBomb(side: number): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const deflate = zlib.createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on("data", (b: Buffer) => parts.push(b));
  const done = new Promise((resolve) => deflate.on("end", resolve));
  const row = Buffer.alloc(side + 1); // filter byte + pixels
  const rowsPerWrite = Math.max(1, Math.floor((1 << 20) / row.length));
  const block = Buffer.concat(Array.from({ length: rowsPerWrite }, () => row));
  for (let y = 0; y < side; y += rowsPerWrite) {
    const n = Math.min(rowsPerWrite, side - y);
    if (!deflate.write(n === rowsPerWrite ? block : block.subarray(0, n * row.length))) await new Promise((r) => deflate.once("drain", r));
  }
  deflate.end();
  await done;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", Buffer.concat(parts)), chunk("IEND", Buffer.alloc(0))]);
}
