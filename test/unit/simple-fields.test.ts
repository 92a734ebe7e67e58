import { getMetadataStorage } from "type-graphql";
import { isObjectType } from "graphql";
import { getSchema } from "../../src/graphql/schema";

// Object types are declared with simpleResolvers: their plain fields are
// read straight off the object, with no type-graphql resolver around each
// (a page of fifty teasers has hundreds of them). type-graphql then also
// skips a field's @Authorized and @UseMiddleware: a rule on a plain field
// would be silently ignored. Rules belong on resolvers and field resolvers.
const schema = getSchema();
const storage = getMetadataStorage();

test("every object type of the schema's own classes reads its plain fields without a resolver", () => {
  const own = storage.objectTypes.filter((t) => isObjectType(schema.getType(t.name)));
  expect(own.length).toBeGreaterThan(20);
  for (const type of own) expect({ type: type.name, simpleResolvers: type.simpleResolvers }).toEqual({ type: type.name, simpleResolvers: true });
  const article = schema.getType("Article");
  if (!isObjectType(article)) throw new Error("Article is not an object type");
  const fields = article.getFields();
  // A plain column; and a field resolver, which keeps its resolver.
  expect(fields.title.resolve).toBeUndefined();
  expect(fields.rubrics.resolve).toEqual(expect.any(Function));
});

test("no plain field of such a type carries an auth rule or a middleware", () => {
  const simple = new Set(storage.objectTypes.filter((t) => t.simpleResolvers).map((t) => t.target));
  const ruled = [
    ...storage.authorizedFields.filter((f) => simple.has(f.target)).map((f) => `@Authorized ${f.target.name}.${f.fieldName}`),
    ...storage.middlewares.filter((m) => simple.has(m.target)).map((m) => `@UseMiddleware ${m.target.name}.${m.fieldName}`),
  ];
  expect(ruled).toEqual([]);
});
