import { Directive, Field, Int, ObjectType } from "type-graphql";
import { CacheHint } from "../../src/cache/hints";

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true })
export class ArchiveDay {
  @Field(() => Int)
  day!: number;

  @Field(() => Int, { description: "Published articles on this day." })
  count!: number;
}

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true })
export class ArchiveMonth {
  @Field(() => Int, { description: "1-12." })
  month!: number;

  @Field({ description: "The month's name in the requested locale." })
  label!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => [ArchiveDay], { description: "Days with articles, newest first." })
  days!: ArchiveDay[];
}

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true })
export class ArchiveYear {
  @Field(() => Int)
  year!: number;

  @Field(() => Int)
  count!: number;

  @Field(() => [ArchiveMonth], { description: "Months with articles, newest first." })
  months!: ArchiveMonth[];
}

@Directive(CacheHint.content)
@ObjectType({ simpleResolvers: true, description: "Publication dates with article counts, for archive navigation." })
export class Archive {
  @Field(() => [ArchiveYear], { description: "Years with articles, newest first." })
  years!: ArchiveYear[];
}
