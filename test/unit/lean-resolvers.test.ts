import "reflect-metadata";
import { execute, type GraphQLSchema, isObjectType, parse } from "graphql";
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, InputType, Int, ObjectType, Query, Resolver, Root, buildSchemaSync } from "type-graphql";
import { isLeanResolver, useLeanResolvers } from "../../src/graphql/leanResolvers";
import { getSchema } from "../../src/graphql/schema";

// type-graphql's per-call machinery is skipped only where it cannot apply
// (src/graphql/leanResolvers.ts); the methods then get exactly what
// type-graphql would have given them.

const resolveOf = (schema: GraphQLSchema, type: string, field: string) => {
  const t = schema.getType(type);
  if (!isObjectType(t)) throw new Error(`${type} is not an object type`);
  return t.getFields()[field].resolve;
};

describe("the gateway's schema", () => {
  const schema = getSchema();

  test("the read path's resolvers are called directly", () => {
    for (const [type, field] of [
      ["Query", "article"],
      ["Query", "popular"],
      ["Query", "rubrics"],
      ["Query", "archive"],
      ["Article", "id"],
      ["Article", "author"],
      ["Article", "rubrics"],
      ["Article", "hashtags"],
      ["Article", "related"],
      ["Tag", "articleCount"],
      ["Tag", "articles"],
      ["Author", "articles"],
    ]) {
      expect({ field: `${type}.${field}`, lean: isLeanResolver(resolveOf(schema, type, field)) }).toEqual({ field: `${type}.${field}`, lean: true });
    }
  });

  test("guarded fields, inputs of input types and mutations keep type-graphql's resolver", () => {
    // @Authorized(["admin"])
    expect(isLeanResolver(resolveOf(schema, "Query", "apiKeys"))).toBe(false);
    // an ArticleFilter input in its arguments
    expect(isLeanResolver(resolveOf(schema, "Query", "articles"))).toBe(false);
    const mutation = schema.getMutationType();
    expect(mutation).toBeTruthy();
    for (const field of Object.values(mutation?.getFields() ?? {})) expect({ field: field.name, lean: isLeanResolver(field.resolve) }).toEqual({ field: field.name, lean: false });
  });
});

describe("a lean resolver gets what type-graphql would give it", () => {
  @ObjectType()
  class Box {
    @Field(() => Int)
    size!: number;

    volume(): number {
      return this.size ** 3;
    }
  }

  @ArgsType()
  class Paging {
    @Field(() => Int, { nullable: true })
    first: number = 10;

    @Field(() => String, { nullable: true })
    after?: string;
  }

  @InputType()
  class Shape {
    @Field(() => Int)
    sides!: number;

    double(): number {
      return this.sides * 2;
    }
  }

  const seen: unknown[] = [];

  @Resolver(() => Box)
  class BoxResolver {
    @Query(() => Box)
    box(): object {
      // A plain object as the root: type-graphql makes it a Box for @Root().
      return { size: 2 };
    }

    @FieldResolver(() => String)
    described(@Root() box: Box, @Arg("unit", () => String, { nullable: true }) unit: string | null | undefined, @Args() paging: Paging, @Ctx() ctx: { who: string }): string {
      seen.push(box, paging);
      return `${box.volume()} ${unit ?? "-"} first=${paging.first} after=${paging.after ?? "-"} for ${ctx.who} ${paging instanceof Paging}`;
    }

    @FieldResolver(() => Int)
    doubled(@Root() box: Box, @Arg("shape", () => Shape) shape: Shape): number {
      // An input type's instance, with its methods: left to type-graphql.
      return box.size * shape.double();
    }

    @Authorized("admin")
    @FieldResolver(() => Int)
    secret(): number {
      return 42;
    }
  }

  const run = async (schema: GraphQLSchema, who: string) =>
    execute({
      schema,
      document: parse(`{ box { size plain: described described(unit: "cm", first: 3) doubled(shape: { sides: 4 }) secret } }`),
      contextValue: { who },
    });

  test("the same answers, instances and defaults; the guard and the input keep type-graphql's path", async () => {
    const checked: string[] = [];
    const schema = buildSchemaSync({
      resolvers: [BoxResolver],
      orphanedTypes: [Box, Paging, Shape],
      authChecker: ({ context }) => (checked.push((context as { who: string }).who), (context as { who: string }).who === "admin"),
      validate: false,
    });
    const before = await run(schema, "admin");
    // Global middlewares would apply to every field: with one, nothing is replaced.
    expect(useLeanResolvers(schema, [() => undefined])).toEqual([]);
    const replaced = useLeanResolvers(schema, []);
    expect(replaced).toEqual(["Box.described", "Query.box"]);
    seen.length = 0;
    const after = await run(schema, "admin");
    expect(after).toEqual(before);
    expect(after.data).toEqual({ box: { size: 2, plain: "8 - first=10 after=- for admin true", described: "8 cm first=3 after=- for admin true", doubled: 16, secret: 42 } });
    expect(seen[0]).toBeInstanceOf(Box);
    expect(seen[1]).toBeInstanceOf(Paging);
    // The guarded field still asks the auth checker.
    expect(checked).toEqual(["admin", "admin"]);
    const refused = await run(schema, "reader");
    expect(refused.errors?.map((e) => e.path?.join("."))).toEqual(["box.secret"]);
  });
});
