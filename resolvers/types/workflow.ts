import { Directive, Field, ObjectType } from "type-graphql";
import { ArticleStatus } from "../../entities";
import { CacheHint } from "../../src/cache/hints";
import { badUserInput } from "../../src/graphql/errors";
import { PageInfo } from "./connection";

@Directive(CacheHint.content)
@ObjectType({ simpleResolvers: true, description: "A correction published under an article." })
export class Correction {
  @Field({ description: "When the correction was published (UTC)." })
  publishedAt!: Date;

  @Field()
  text!: string;
}

// Editors only: no cache hint, so an answer holding revisions is never cached.
@ObjectType({ simpleResolvers: true, description: "The article as one editorial write left it: what readers see, and where it stood in the workflow." })
export class ArticleRevision {
  /** Row id; the field resolver gives the opaque ID. */
  revisionId!: number;

  @Field({ description: "When the write happened (UTC)." })
  createdAt!: Date;

  @Field(() => String, {
    nullable: true,
    description:
      "Name of the API key that wrote it; null for the import command, the publication scheduler, and the state kept from before revisions existed.",
  })
  keyName!: string | null;

  @Field(() => ArticleStatus)
  status!: ArticleStatus;

  @Field()
  slug!: string;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  lead!: string | null;

  @Field(() => [String])
  paragraphs!: string[];

  @Field(() => String, { nullable: true })
  photoCredit!: string | null;

  @Field()
  language!: string;

  @Field(() => [String], { description: "Hashtag names, in page order." })
  hashtags!: string[];

  authorId!: number | null;
  rubricIds!: number[];
}

@ObjectType({ simpleResolvers: true })
export class ArticleRevisionEdge {
  @Field({ description: "Opaque position of this edge; pass it as after." })
  cursor!: string;

  @Field(() => ArticleRevision)
  node!: ArticleRevision;
}

@ObjectType({ simpleResolvers: true, description: "A page of an article's revisions, newest first." })
export class ArticleRevisionConnection {
  @Field(() => [ArticleRevisionEdge])
  edges!: ArticleRevisionEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ simpleResolvers: true, description: "A preview link's secret. It is shown once: only its hash is stored." })
export class PreviewToken {
  @Field({ description: "Pass it to preview(token:); anyone holding it can read the article as it is now until it expires or is revoked." })
  token!: string;

  @Field()
  expiresAt!: Date;
}

const REVISION = "ArticleRevision:";

export function toRevisionId(id: number): string {
  return Buffer.from(`${REVISION}${id}`, "utf8").toString("base64");
}

export function revisionIdOf(globalId: string, argument = "id"): number {
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(globalId) ? Buffer.from(globalId, "base64").toString("utf8") : "";
  const match = /^ArticleRevision:([1-9]\d{0,9})$/.exec(decoded);
  if (!match || Number(match[1]) > 2147483647)
    throw badUserInput(`${argument} is not an ArticleRevision ID; take one from Article.revisions.`, argument);
  return Number(match[1]);
}
