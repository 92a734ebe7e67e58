import { Arg, Args, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { Article, Image } from "../entities";
import type { Context } from "../src/graphql/context";
import { clearArticleLoaders } from "../src/write/clearLoaders";
import { idOf } from "../src/graphql/globalId";
import * as writes from "../src/media/imageWrites";
import { mediaOf } from "../src/media/media";
import { SetArticleImagesArgs, UpdateImageInput } from "./types/image";

const EDITORS = ["editor", "admin"];

/** Editors' writes to images and to the articles that show them (uploads are POST /media). */
@Resolver(() => Image)
export class ImageMutationResolver {
  @Authorized(EDITORS)
  @Mutation(() => Image, { description: "Changes an image's texts or focal point (a new focal point gives new rendition URLs)." })
  async updateImage(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateImageInput) input: UpdateImageInput,
    @Ctx() ctx: Context,
  ): Promise<Image> {
    const imageId = idOf("Image", id);
    await writes.updateImage(ctx.app.db.dataSource, imageId, input);
    clearArticleLoaders(ctx.loaders);
    return (await ctx.loaders.imageById.load(imageId)) as Image;
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, { description: "Makes the image the article's main image; null removes it." })
  async setMainImage(
    @Arg("articleId", () => ID) articleId: string,
    @Arg("imageId", () => ID, { nullable: true }) imageId: string | null,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const id = idOf("Article", articleId, "articleId");
    await writes.setMainImage(ctx.app.db.dataSource, id, imageId === null ? null : idOf("Image", imageId, "imageId"));
    clearArticleLoaders(ctx.loaders);
    return (await ctx.loaders.articleById.load(id)) as Article;
  }

  @Authorized(EDITORS)
  @Mutation(() => Article, { description: "The article's body images, in order." })
  async setArticleImages(@Args() { articleId, imageIds }: SetArticleImagesArgs, @Ctx() ctx: Context): Promise<Article> {
    const id = idOf("Article", articleId, "articleId");
    await writes.setArticleImages(ctx.app.db.dataSource, id, imageIds.map((i) => idOf("Image", i, "imageIds")));
    clearArticleLoaders(ctx.loaders);
    return (await ctx.loaders.articleById.load(id)) as Article;
  }

  @Authorized(EDITORS)
  @Mutation(() => ID, { description: "Deletes an image and its stored bytes; refused while an article shows it. Returns its ID." })
  async deleteImage(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    await mediaOf(ctx.app).delete(ctx.app.db.dataSource, idOf("Image", id));
    clearArticleLoaders(ctx.loaders);
    return id;
  }
}
