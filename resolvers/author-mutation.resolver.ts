import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { Author } from "../entities";
import type { Context } from "../src/graphql/context";
import { createAuthor, updateAuthor } from "../src/write/authorWrites";
import { clearAuthorLoaders } from "../src/write/clearLoaders";
import { idOf } from "../src/graphql/globalId";
import { CreateAuthorInput, UpdateAuthorInput } from "./types/author-input";

const EDITORS = ["editor", "admin"];

@Resolver(() => Author)
export class AuthorMutationResolver {
  @Authorized(EDITORS)
  @Mutation(() => Author)
  async createAuthor(@Arg("input", () => CreateAuthorInput) input: CreateAuthorInput, @Ctx() ctx: Context): Promise<Author> {
    const id = await createAuthor(ctx.app.db.dataSource, input);
    clearAuthorLoaders(ctx.loaders);
    return (await ctx.loaders.authorById.load(id)) as Author;
  }

  @Authorized(EDITORS)
  @Mutation(() => Author)
  async updateAuthor(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateAuthorInput) input: UpdateAuthorInput,
    @Ctx() ctx: Context,
  ): Promise<Author> {
    const authorId = idOf("Author", id);
    await updateAuthor(ctx.app.db.dataSource, authorId, { ...input, name: input.name ?? undefined });
    clearAuthorLoaders(ctx.loaders);
    return (await ctx.loaders.authorById.load(authorId)) as Author;
  }
}
