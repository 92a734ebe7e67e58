import { Arg, Ctx, FieldResolver, ID, Int, Resolver, Root } from "type-graphql";
import { Article, Image } from "../entities";
import type { Context } from "../src/graphql/context";
import { badUserInput } from "../src/graphql/errors";
import { toGlobalId } from "../src/graphql/globalId";
import { mediaOf } from "../src/media/media";
import { cropBox } from "../src/media/crop";
import { imageVersion, parseAspectRatio, renditionUrl, type RenditionSpec } from "../src/media/renditionSpec";
import { FocalPoint, ImageFormat } from "./types/image";

const MAX_SRCSET_WIDTHS = 12;

function specOf(image: Image, width: number, format: ImageFormat, aspectRatio: string | null | undefined): RenditionSpec {
  return {
    imageId: image.id,
    version: imageVersion(image.contentHash, image.focalX, image.focalY),
    width,
    aspect: aspectRatio ? parseAspectRatio(aspectRatio) : null,
    format,
  };
}

/** Renditions are never enlarged: the widest one is the original's (or its crop's) width. */
function widestOf(image: Image, spec: RenditionSpec): number {
  return spec.aspect ? cropBox(image.width, image.height, spec.aspect, { x: image.focalX, y: image.focalY }).width : image.width;
}

@Resolver(() => Image)
export class ImageResolver {
  @FieldResolver(() => ID)
  id(@Root() image: Image): string {
    return toGlobalId("Image", image.id);
  }

  @FieldResolver(() => String, { nullable: true, description: "The image's credit; for an article's main image without one, the article's photoCredit." })
  credit(@Root() image: Image): string | null {
    return image.credit ?? image.articleCredit ?? null;
  }

  @FieldResolver(() => FocalPoint)
  focalPoint(@Root() image: Image): FocalPoint {
    return { x: image.focalX, y: image.focalY };
  }

  @FieldResolver(() => String, {
    description:
      "URL of a rendition `width` pixels wide (never wider than the original), in `format`, cropped around the focal point to `aspectRatio` (\"16:9\") when given. Widths outside the configured set are signed, or refused when the server has no signing secret.",
  })
  url(
    @Root() image: Image,
    @Arg("width", () => Int) width: number,
    @Arg("format", () => ImageFormat, { defaultValue: ImageFormat.JPEG }) format: ImageFormat,
    @Arg("aspectRatio", () => String, { nullable: true }) aspectRatio: string | null,
    @Ctx() ctx: Context,
  ): string {
    return renditionUrl(mediaOf(ctx.app).config, specOf(image, width, format, aspectRatio));
  }

  @FieldResolver(() => String, { description: 'An HTML srcset: "<url> <width>w" for each width, as url() makes them.' })
  srcSet(
    @Root() image: Image,
    @Arg("widths", () => [Int]) widths: number[],
    @Arg("format", () => ImageFormat, { defaultValue: ImageFormat.JPEG }) format: ImageFormat,
    @Arg("aspectRatio", () => String, { nullable: true }) aspectRatio: string | null,
    @Ctx() ctx: Context,
  ): string {
    if (widths.length === 0 || widths.length > MAX_SRCSET_WIDTHS) throw badUserInput(`widths must list 1 to ${MAX_SRCSET_WIDTHS} widths, got ${widths.length}.`, "widths");
    const config = mediaOf(ctx.app).config;
    const seen = new Set<number>();
    const entries: string[] = [];
    for (const width of [...widths].sort((a, b) => a - b)) {
      const spec = specOf(image, width, format, aspectRatio);
      const url = renditionUrl(config, spec, "widths");
      // Widths past the original's all give the original's width: one entry says it.
      const actual = Math.min(width, widestOf(image, spec));
      if (seen.has(actual)) continue;
      seen.add(actual);
      entries.push(`${url} ${actual}w`);
    }
    return entries.join(", ");
  }
}

/** Article.mainImage and Article.images: one statement for both, per page of articles. */
@Resolver(() => Article)
export class ArticleImagesResolver {
  @FieldResolver(() => Image, { nullable: true, description: "The picture shown with the article in pages, teasers and cards." })
  async mainImage(@Root() article: Article, @Ctx() ctx: Context): Promise<Image | null> {
    const { main } = await ctx.loaders.imagesByArticleId.load(article.id);
    // The credit line of the article's page belongs to its main photo.
    return main ? Object.assign(new Image(), main, { articleCredit: article.photoCredit }) : null;
  }

  @FieldResolver(() => [Image], { description: "Pictures of the article's body, in order." })
  async images(@Root() article: Article, @Ctx() ctx: Context): Promise<Image[]> {
    return (await ctx.loaders.imagesByArticleId.load(article.id)).body;
  }
}
