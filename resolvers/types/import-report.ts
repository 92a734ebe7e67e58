import { Field, ID, Int, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "Why a page was not imported." })
export class PageImportError {
  @Field({ description: '"name:line: what was expected" for a page that does not parse.' })
  message!: string;

  @Field()
  file!: string;

  @Field(() => Int, { nullable: true })
  line!: number | null;
}

@ObjectType({ simpleResolvers: true, description: "What importing one page did; the same report as `newsgraph import`." })
export class PageImportResult {
  @Field()
  name!: string;

  @Field({ description: "imported, updated, unchanged or failed." })
  status!: string;

  @Field(() => ID, { nullable: true, description: "The page's article; null when the page failed." })
  articleId!: string | null;

  @Field(() => Int)
  stubsCreated!: number;

  @Field(() => Int)
  stubsFilled!: number;

  @Field(() => [String])
  ambiguousTitles!: string[];

  @Field(() => PageImportError, { nullable: true })
  error!: PageImportError | null;
}

@ObjectType({ simpleResolvers: true })
export class ImportSummary {
  @Field(() => Int) pages!: number;
  @Field(() => Int) imported!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) unchanged!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) stubsCreated!: number;
  @Field(() => Int) stubsFilled!: number;
  @Field(() => Int) ambiguousTitles!: number;
}

@ObjectType({ simpleResolvers: true })
export class ImportReport {
  @Field(() => [PageImportResult])
  results!: PageImportResult[];

  @Field(() => ImportSummary)
  summary!: ImportSummary;
}
