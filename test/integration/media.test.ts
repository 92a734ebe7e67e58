import { request as httpRequest } from "node:http";
import sharp from "sharp";
import { createApiKey } from "../../src/write/keys/apiKeys";
import { mediaOf } from "../../src/media/media";
import { renditionsMade } from "../../src/media/metrics";
import type { Viewer } from "../../src/read/viewer";
import { CONTRACT } from "../helpers/contract";
import { databaseKinds } from "../helpers/db";
import { createTestGateway, type TestGateway } from "../helpers/gateway";
import { type HttpTestGateway, startHttpGateway } from "../helpers/httpGateway";
import { photoWithGps, pngBomb, startTestStore, type StoreKind, type TestStore } from "../helpers/media";

const EDITOR: Viewer = { role: "editor", keyName: "editor" };
const IMMUTABLE = "public, max-age=31536000, immutable";
const SECRET = "test-secret-for-rendition-urls";

async function errorsOf(res: Response): Promise<{ message: string; extensions: { code: string } }[]> {
  return ((await res.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors;
}

async function made(): Promise<number> {
  return (await renditionsMade.get()).values.reduce((sum, v) => sum + v.value, 0);
}

const cases = databaseKinds().flatMap((db) => (["local", "s3"] as StoreKind[]).map((store) => [db, store] as const));

describe.each(cases)("images on %s with the %s store", (kind, storeKind) => {
  let store: TestStore;
  let gw: TestGateway;
  let http: HttpTestGateway;
  let base: string;
  let editorKey: string;
  let article: { id: string; slug: string; photoCredit: string };
  let photo: Buffer;
  let imageId: string;

  const upload = (body: Buffer, type: string, headers: Record<string, string> = { authorization: `Bearer ${editorKey}` }) =>
    fetch(`${base}/media`, { method: "POST", headers: { "content-type": type, ...headers }, body });
  const storedKeys = () => mediaOf(gw.app).store.list("");
  const imageRows = async () => Number((await gw.app.db.dataSource.query("SELECT COUNT(*) AS n FROM image"))[0].n);

  beforeAll(async () => {
    store = await startTestStore(storeKind);
    const env = { ...store.env, MAX_IMAGE_BYTES: String(2 * 1024 * 1024), MEDIA_URL_SECRET: SECRET };
    gw = await createTestGateway(kind, { corpus: { articles: 30, seed: 3 }, env });
    http = await startHttpGateway(gw, { ...env, RATE_LIMIT: "0" });
    base = http.url.replace(/\/graphql$/, "");
    editorKey = (await createApiKey(gw.app.db.dataSource, { name: "photo desk", role: "editor", rateLimit: 100_000 })).key;
    const [row] = await gw.app.db.dataSource.query(
      "SELECT id, slug, photo_credit FROM article WHERE status = 'PUBLISHED' AND photo_credit IS NOT NULL ORDER BY id LIMIT 1",
    );
    article = { id: Buffer.from(`Article:${row.id}`).toString("base64"), slug: row.slug, photoCredit: row.photo_credit };
    photo = await photoWithGps(2400, 1600);
  });
  afterAll(async () => {
    await http?.close();
    await gw?.close();
    await store?.close();
  });

  test("an editor uploads over HTTP; the same bytes again are the same image, stored once", async () => {
    const first = await upload(photo, "image/jpeg");
    expect(first.status).toBe(201);
    const body = (await first.json()) as { id: string };
    expect(body).toMatchObject({ width: 2400, height: 1600, contentType: "image/jpeg", byteSize: photo.length, created: true });
    imageId = body.id;
    const again = await upload(photo, "image/jpeg");
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: imageId, created: false });
    expect((await storedKeys()).filter((k) => k.startsWith("originals/"))).toHaveLength(1);
    expect(await imageRows()).toBe(1);
  });

  test("with its texts set and made the main image, article-media.graphql answers and every URL serves the asked width and format", async () => {
    const described = await gw.run<{ updateImage: { alt: string; caption: string; credit: string | null; focalPoint: { x: number; y: number } } }>(
      `mutation($id: ID!) { updateImage(id: $id, input: { alt: "Купол Байтерека", caption: "Астана, утро", focalPoint: { x: 0.8, y: 0.3 } }) { alt caption credit focalPoint { x y } } }`,
      { id: imageId },
      { viewer: EDITOR },
    );
    expect(described.errors).toBeUndefined();
    expect(described.data?.updateImage).toEqual({ alt: "Купол Байтерека", caption: "Астана, утро", credit: null, focalPoint: { x: 0.8, y: 0.3 } });
    const set = await gw.run<{ setMainImage: { mainImage: { id: string } } }>(
      `mutation($a: ID!, $i: ID!) { setMainImage(articleId: $a, imageId: $i) { mainImage { id } } }`,
      { a: article.id, i: imageId },
      { viewer: EDITOR },
    );
    expect(set.errors).toBeUndefined();
    expect(set.data?.setMainImage.mainImage.id).toBe(imageId);

    const r = await gw.run(CONTRACT["article-media.graphql"], { slug: article.slug });
    expect(r.errors).toBeUndefined();
    const main = r.data!.article!.mainImage!;
    // No credit of its own: the article's credit line is the photo's.
    expect(main).toMatchObject({ id: imageId, alt: "Купол Байтерека", caption: "Астана, утро", credit: article.photoCredit, width: 2400, height: 1600 });

    const asked: [string, number, string][] = [
      [main.url, 1200, "jpeg"],
      [main.thumbnail, 320, "webp"],
      ...main.srcSet.split(", ").map((entry): [string, number, string] => {
        const [url, w] = entry.split(" ");
        return [url, Number(w.replace("w", "")), "jpeg"];
      }),
    ];
    expect(asked.map((a) => a[1])).toEqual([1200, 320, 320, 640, 1024]);
    for (const [url, width, format] of asked) {
      const res = await fetch(base + url);
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.headers.get("cache-control")).toBe(IMMUTABLE);
      expect(res.headers.get("content-type")).toBe(`image/${format}`);
      const etag = res.headers.get("etag");
      expect(etag).toMatch(/^"[0-9a-f]{12}-/);
      const bytes = Buffer.from(await res.arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect([url, meta.format, meta.width, meta.height]).toEqual([url, format, width, Math.round((width * 1600) / 2400)]);
      // The phone's EXIF, GPS position included, stays with the original.
      expect(meta.exif).toBeUndefined();

      const before = await made();
      const second = await fetch(base + url);
      expect(second.status).toBe(200);
      expect(second.headers.get("x-media-source")).toBe("stored");
      expect(second.headers.get("cache-control")).toBe(IMMUTABLE);
      expect(second.headers.get("etag")).toBe(etag);
      expect(Buffer.from(await second.arrayBuffer()).equals(bytes)).toBe(true);
      expect(await made()).toBe(before);

      const unchanged = await fetch(base + url, { headers: { "if-none-match": etag as string } });
      expect(unchanged.status).toBe(304);
      expect(unchanged.headers.get("cache-control")).toBe(IMMUTABLE);
    }
    // The original kept its EXIF; only renditions lose it.
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const keys = await storedKeys();
    expect(keys.filter((k) => k.startsWith("renditions/"))).toHaveLength(new Set(asked.map((a) => a[0])).size);
  });

  test("an aspect ratio crops around the focal point; AVIF and signed widths are served too", async () => {
    const r = await gw.run<{ node: { square: string; wide: string; odd: string } }>(
      `query($id: ID!) { node(id: $id) { ... on Image { square: url(width: 640, format: AVIF, aspectRatio: "1:1") wide: url(width: 1024, aspectRatio: "16:9") odd: url(width: 500) } } }`,
      { id: imageId },
    );
    expect(r.errors).toBeUndefined();
    const { square, wide, odd } = r.data!.node;
    const squareBytes = Buffer.from(await (await fetch(base + square)).arrayBuffer());
    const squareMeta = await sharp(squareBytes).metadata();
    expect([squareMeta.format, squareMeta.width, squareMeta.height]).toEqual(["heif", 640, 640]);
    // The focal point (0.8, 0.3) is the circle's centre (1920, 480). The square crop is as far right as the
    // picture allows (x 800 to 2400), which puts the circle at (448, 192) of 640; a centred crop would show sky there.
    // stats() reads its input, so the patch is cut out first.
    const blueAt = async (bytes: Buffer, left: number, top: number) =>
      (await sharp(await sharp(bytes).extract({ left, top, width: 20, height: 20 }).png().toBuffer()).stats()).channels[2].mean;
    expect(await blueAt(squareBytes, 438, 182)).toBeLessThan(120);
    expect(await blueAt(squareBytes, 100, 500)).toBeGreaterThan(180);
    const wideMeta = await sharp(Buffer.from(await (await fetch(base + wide)).arrayBuffer())).metadata();
    expect([wideMeta.width, wideMeta.height]).toEqual([1024, 576]);

    // 500 is not a configured width: the URL is signed, and only the signed one is served.
    expect(odd).toMatch(/\/500\.jpg\?s=[\w-]{22}$/);
    const signed = await fetch(base + odd);
    expect(signed.status).toBe(200);
    expect((await sharp(Buffer.from(await signed.arrayBuffer())).metadata()).width).toBe(500);
    const unsigned = await fetch(base + odd.replace(/\?s=.*/, ""));
    expect(unsigned.status).toBe(403);
    expect((await errorsOf(unsigned))[0].message).toMatch(/Width 500 is not one of the configured rendition widths/);
    const forged = await fetch(base + odd.replace(/\?s=.*/, "?s=AAAAAAAAAAAAAAAAAAAAAA"));
    expect(forged.status).toBe(403);
    const otherWidth = await fetch(base + odd.replace("/500.jpg", "/501.jpg"));
    expect(otherWidth.status).toBe(403);
  });

  test("32 concurrent first requests for one rendition make it once", async () => {
    const r = await gw.run<{ node: { url: string } }>(`query($id: ID!) { node(id: $id) { ... on Image { url(width: 2048, format: WEBP) } } }`, { id: imageId });
    const url = base + r.data!.node.url;
    const before = await made();
    const answers = await Promise.all(Array.from({ length: 32 }, () => fetch(url).then(async (res) => ({ status: res.status, bytes: Buffer.from(await res.arrayBuffer()) }))));
    expect(answers.map((a) => a.status)).toEqual(Array(32).fill(200));
    expect(new Set(answers.map((a) => a.bytes.toString("base64"))).size).toBe(1);
    expect(await made()).toBe(before + 1);
    expect((await sharp(answers[0].bytes).metadata()).width).toBe(2048);
  });

  test("refused uploads store nothing: a reader's, a non-image, an oversized body and a decompression bomb", async () => {
    const keysBefore = await storedKeys();
    const rowsBefore = await imageRows();
    const other = await photoWithGps(800, 600, 30);

    const reader = await upload(other, "image/jpeg", {});
    expect(reader.status).toBe(401);
    expect((await errorsOf(reader))[0].extensions.code).toBe("UNAUTHENTICATED");
    const badKey = await upload(other, "image/jpeg", { authorization: "Bearer ng_not-a-key" });
    expect(badKey.status).toBe(401);

    const text = await upload(Buffer.from("<html>not a picture</html>"), "image/png");
    expect(text.status).toBe(400);
    expect((await errorsOf(text))[0].message).toMatch(/not a readable image\/png image/);
    const wrongType = await upload(other, "text/plain");
    expect(wrongType.status).toBe(400);
    expect((await errorsOf(wrongType))[0].message).toMatch(/Content-Type must be one of image\/jpeg, image\/png, image\/webp, image\/avif/);
    const mislabelled = await upload(other, "image/png");
    expect(mislabelled.status).toBe(400);
    expect((await errorsOf(mislabelled))[0].message).toMatch(/not a image\/png image \(it looks like jpeg\)/);

    const oversized = await upload(Buffer.concat([other, Buffer.alloc(2 * 1024 * 1024)]), "image/jpeg");
    expect(oversized.status).toBe(413);
    expect((await errorsOf(oversized))[0].message).toMatch(/larger than 2097152 bytes/);

    // Without a Content-Length the limit holds while the body streams: the answer comes once 2 MB have arrived.
    const streamed = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      const req = httpRequest(`${base}/media`, { method: "POST", headers: { "content-type": "image/jpeg", authorization: `Bearer ${editorKey}` } });
      let sent = 0;
      let answered = false;
      req.on("response", (res) => {
        answered = true;
        res.resume();
        res.on("end", () => req.destroy());
        resolve({ status: res.statusCode ?? 0, sent });
      });
      req.on("error", (e) => (answered ? undefined : reject(e)));
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!answered && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(streamed.status).toBe(413);
    expect(streamed.sent).toBeLessThan(32 * 1024 * 1024);

    // 16,000 × 16,000 grey pixels (256 megapixels) in a few hundred kilobytes.
    const bomb = await pngBomb(16_000);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const exploded = await upload(bomb, "image/png");
    expect(exploded.status).toBe(413);
    expect((await errorsOf(exploded))[0].message).toMatch(/16000×16000 pixels \(256\.0 megapixels\); the limit is 50\.0 megapixels/);

    expect(await storedKeys()).toEqual(keysBefore);
    expect(await imageRows()).toBe(rowsBefore);
  });

  test("an image in use cannot be deleted; once let go, it and its bytes are gone", async () => {
    const refused = await gw.run(`mutation($id: ID!) { deleteImage(id: $id) }`, { id: imageId }, { viewer: EDITOR });
    expect(refused.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(refused.errors?.[0].message).toMatch(/used by 1 article/);
    const url = (await gw.run<{ node: { url: string } }>(`query($id: ID!) { node(id: $id) { ... on Image { url(width: 160) } } }`, { id: imageId })).data!.node.url;
    expect((await fetch(base + url)).status).toBe(200);

    const cleared = await gw.run(`mutation($a: ID!) { setMainImage(articleId: $a, imageId: null) { mainImage { id } } }`, { a: article.id }, { viewer: EDITOR });
    expect(cleared.data).toEqual({ setMainImage: { mainImage: null } });
    const deleted = await gw.run(`mutation($id: ID!) { deleteImage(id: $id) }`, { id: imageId }, { viewer: EDITOR });
    expect(deleted.errors).toBeUndefined();
    expect(await storedKeys()).toEqual([]);
    expect((await fetch(base + url)).status).toBe(404);
  });
});

describe.each(databaseKinds())("pictures and what readers see, on %s", (kind) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await createTestGateway(kind, { corpus: { articles: 120, seed: 5 }, pictures: true });
  });
  afterAll(() => gw?.close());

  test("a page of articles with main and body images costs the same statements for 5 and for 50 articles", async () => {
    const query = `query($first: Int!) { articles(first: $first) { edges { node { id photoCredit
      mainImage { id alt credit width height url(width: 640) srcSet(widths: [320, 640], format: WEBP) }
      images { id url(width: 320) } } } } }`;
    const small = await gw.run<{ articles: { edges: { node: { mainImage: unknown; images: unknown[] } }[] } }>(query, { first: 5 });
    const large = await gw.run<{ articles: { edges: { node: { mainImage: unknown; images: unknown[] } }[] } }>(query, { first: 50 });
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.data!.articles.edges.every((e) => e.node.mainImage !== null)).toBe(true);
    expect(large.data!.articles.edges.some((e) => e.node.images.length === 2)).toBe(true);
    expect(large.statements).toBe(small.statements);
    const front = await gw.run(CONTRACT["front-page.graphql"], { first: 5 });
    const bigFront = await gw.run(CONTRACT["front-page.graphql"], { first: 50 });
    expect(bigFront.statements).toBe(front.statements);
  });

  test("pictures keep an article page cacheable as long as the article", async () => {
    const http = await startHttpGateway(gw, { RATE_LIMIT: "0" });
    try {
      const [{ slug }] = await gw.app.db.dataSource.query("SELECT a.slug FROM article a JOIN article_image ai ON ai.article_id = a.id AND ai.slot = 'BODY' ORDER BY a.id LIMIT 1");
      const r = await http.post({
        query: `query($slug: String!) { article(slug: $slug) { mainImage { id focalPoint { x y } srcSet(widths: [320, 640], format: AVIF, aspectRatio: "4:3") } images { id caption } } }`,
        variables: { slug },
      });
      expect(r.body.errors).toBeUndefined();
      expect((r.body.data!.article as { images: unknown[] }).images).toHaveLength(2);
      expect(r.headers.get("cache-control")).toBe("max-age=300, public");
    } finally {
      await http.close();
    }
  });

  test("readers reach an image by ID only through a published article; editors always", async () => {
    const media = mediaOf(gw.app);
    const spare = await media.upload(gw.app.db.dataSource, await photoWithGps(640, 480, 90), "image/jpeg");
    const id = Buffer.from(`Image:${spare.id}`).toString("base64");
    const ask = `query($id: ID!) { node(id: $id) { id ... on Image { width } } }`;
    expect((await gw.run(ask, { id })).data).toEqual({ node: null });
    expect((await gw.run(ask, { id }, { viewer: EDITOR })).data).toEqual({ node: { id, width: 640 } });

    const draft = await gw.run<{ createArticle: { id: string } }>(`mutation { createArticle(input: { title: "Черновик с фото" }) { id } }`, undefined, { viewer: EDITOR });
    const draftId = draft.data!.createArticle.id;
    const attached = await gw.run(`mutation($a: ID!, $i: ID!) { setArticleImages(articleId: $a, imageIds: [$i]) { images { id } } }`, { a: draftId, i: id }, { viewer: EDITOR });
    expect(attached.data).toEqual({ setArticleImages: { images: [{ id }] } });
    expect((await gw.run(ask, { id })).data).toEqual({ node: null });

    await gw.run(`mutation($a: ID!) { publishArticle(id: $a) { id } }`, { a: draftId }, { viewer: EDITOR });
    expect((await gw.run(ask, { id })).data).toEqual({ node: { id, width: 640 } });
  });

  test("bad arguments are refused with a sentence naming them", async () => {
    const [{ id }] = await gw.app.db.dataSource.query("SELECT image_id AS id FROM article_image ORDER BY image_id LIMIT 1");
    const image = Buffer.from(`Image:${id}`).toString("base64");
    const on = (field: string) => gw.run(`query($id: ID!) { node(id: $id) { ... on Image { ${field} } } }`, { id: image });
    const wide = await on("url(width: 5000)");
    expect(wide.errors?.[0]).toMatchObject({ message: "width must be a whole number from 1 to 4096, got 5000.", extensions: { code: "BAD_USER_INPUT" } });
    // This gateway has no signing secret: other widths cannot be had at all.
    const odd = await on("url(width: 500)");
    expect(odd.errors?.[0].message).toBe("width 500 is not one of the configured rendition widths (160, 320, 640, 1024, 1200, 1600, 2048).");
    const ratio = await on(`url(width: 640, aspectRatio: "wide")`);
    expect(ratio.errors?.[0].message).toMatch(/^aspectRatio must look like "16:9"/);
    const focal = await gw.run(`mutation($id: ID!) { updateImage(id: $id, input: { focalPoint: { x: 1.5, y: 0.5 } }) { id } }`, { id: image }, { viewer: EDITOR });
    expect(focal.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const notImage = await gw.run(`mutation($a: ID!) { setMainImage(articleId: $a, imageId: $a) { id } }`, { a: Buffer.from("Article:1").toString("base64") }, { viewer: EDITOR });
    expect(notImage.errors?.[0].message).toBe("imageId names an Article, but an Image ID was expected.");
  });
});
