import { FieldResolver, Int, Resolver, Root } from "type-graphql";
import { ArticleConnection } from "./types/connection";

@Resolver(() => ArticleConnection)
export class ArticleConnectionResolver {
  @FieldResolver(() => Int, { description: "Number of articles in the whole list, not just this page." })
  totalCount(@Root() connection: ArticleConnection): Promise<number> {
    return connection.countAll();
  }
}
