import { Directive, Field, ObjectType } from "type-graphql";
import { Article } from "../../entities";
import { CacheHint } from "../../src/cache/hints";

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true, description: "Relay page information." })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true })
export class ArticleEdge {
  @Field({ description: "Opaque position of this edge; pass it as after or before." })
  cursor!: string;

  @Field(() => Article)
  node!: Article;
}

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true, description: "A page of articles." })
export class ArticleConnection {
  @Field(() => [ArticleEdge])
  edges!: ArticleEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** Counts the whole list; called only when a client selects totalCount. */
  countAll!: () => Promise<number>;
}
