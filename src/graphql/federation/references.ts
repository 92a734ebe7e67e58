import type { Article, Author, Tag } from "../../../entities";
import type { Context } from "../context";
import { idOf } from "../globalId";

// A federation gateway sends entity representations carrying the key it
// learned from us: the global ID. Each resolves through the request's
// DataLoaders, so the `_entities` call for a whole list of references is one
// statement per type, the same as any other level of a query.
interface Reference {
  id: string;
}

export const referenceResolvers = {
  Article: {
    __resolveReference: (ref: Reference, ctx: Context): Promise<Article | null> => ctx.loaders.articleById.load(idOf("Article", ref.id)),
  },
  Author: {
    __resolveReference: (ref: Reference, ctx: Context): Promise<Author | null> => ctx.loaders.authorById.load(idOf("Author", ref.id)),
  },
  Tag: {
    __resolveReference: (ref: Reference, ctx: Context): Promise<Tag | null> => ctx.loaders.tagById.load(idOf("Tag", ref.id)),
  },
};
