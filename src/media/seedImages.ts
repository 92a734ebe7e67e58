import sharp from "sharp";
import type { DataSource } from "typeorm";
import { insertAll } from "../write/seed/loadData";
import { Random } from "../write/seed/random";
import { updateImage } from "./imageWrites";
import type { Media } from "./media";

const SCENES = [
  { alt: "Панорама города на рассвете", caption: "Утро в столице", hue: 28 },
  { alt: "Степь под облачным небом", caption: "Весенняя степь", hue: 95 },
  { alt: "Горы и озеро", caption: "Вид на горное озеро", hue: 200 },
  { alt: "Зал заседаний", caption: "Во время заседания", hue: 340 },
  { alt: "Стадион вечером", caption: "Перед началом матча", hue: 140 },
  { alt: "Улица с трамваем", caption: "Городской транспорт", hue: 260 },
];

/** A picture drawn from shapes (no text, no download): a sky gradient, hills and a sun, placed by the seed. */
function scene(hue: number, rnd: Random, width: number, height: number): string {
  const sun = { x: rnd.int(15, 85), y: rnd.int(15, 40), r: rnd.int(6, 12) };
  const hills = Array.from({ length: 3 }, (_, i) => {
    const base = 60 + i * 12;
    const points = Array.from({ length: 9 }, (_, k) => `${(k * 100) / 8},${base - rnd.int(0, 18)}`).join(" ");
    return `<polygon points="0,100 ${points} 100,100" fill="hsl(${(hue + 40 * i) % 360},45%,${40 - i * 8}%)"/>`;
  }).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 100 100" preserveAspectRatio="none">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="hsl(${hue},70%,75%)"/><stop offset="1" stop-color="hsl(${(hue + 30) % 360},60%,92%)"/>
    </linearGradient></defs>
    <rect width="100" height="100" fill="url(#sky)"/>
    <ellipse cx="${sun.x}" cy="${sun.y}" rx="${sun.r * 0.6}" ry="${sun.r}" fill="hsl(${(hue + 180) % 360},85%,65%)"/>
    ${hills}
  </svg>`;
}

export interface SeedImagesReport {
  images: number;
  mainImages: number;
  bodyImages: number;
}

/**
 * Gives the seeded articles pictures: a few images drawn with sharp, stored
 * through the ordinary upload path, each published article's main image
 * one of them (their credit is the article's photoCredit) and every fifth
 * article two body images. Does nothing when articles already have images.
 */
export async function seedImages(ds: DataSource, media: Media, seed = 1): Promise<SeedImagesReport> {
  const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM article_image");
  if (Number(n) > 0) return { images: 0, mainImages: 0, bodyImages: 0 };
  const rnd = new Random(seed);
  const ids: number[] = [];
  for (const [i, s] of SCENES.entries()) {
    const [width, height] = i % 3 === 2 ? [1200, 1600] : [2400, 1350];
    const bytes = await sharp(Buffer.from(scene(s.hue, rnd, width, height))).jpeg({ quality: 80 }).toBuffer();
    const image = await media.upload(ds, bytes, "image/jpeg");
    await updateImage(ds, image.id, { alt: s.alt, caption: s.caption, focalPoint: { x: rnd.int(30, 70) / 100, y: rnd.int(30, 60) / 100 } });
    ids.push(image.id);
  }
  const articles: { id: unknown }[] = await ds.query("SELECT id FROM article WHERE status = 'PUBLISHED' AND deleted_at IS NULL ORDER BY id");
  const rows: unknown[][] = [];
  let bodyImages = 0;
  for (const { id } of articles) {
    const articleId = Number(id);
    rows.push([articleId, "MAIN", 0, ids[articleId % ids.length]]);
    if (articleId % 5 === 0) {
      rows.push([articleId, "BODY", 0, ids[(articleId + 1) % ids.length]], [articleId, "BODY", 1, ids[(articleId + 2) % ids.length]]);
      bodyImages += 2;
    }
  }
  await insertAll(ds, "article_image", ["article_id", "slot", "position", "image_id"], rows);
  return { images: ids.length, mainImages: articles.length, bodyImages };
}
