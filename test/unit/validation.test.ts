import "reflect-metadata";
import { IsInt, Length, Max } from "class-validator";
import { ArgumentValidationError } from "type-graphql";
import type { ValidationError } from "class-validator";
import { validateArguments } from "../../src/graphql/validation";

class Ruled {
  @Length(1, 5)
  title?: string;

  @IsInt()
  @Max(10)
  size?: number;
}

class Plain {
  title?: unknown;
}

const make = <T extends object>(type: new () => T, values: Partial<T>): T => Object.assign(new type(), values);
const check = (value: unknown) => Promise.resolve(validateArguments(value, Object, {} as never));

async function refusal(value: unknown): Promise<ValidationError[]> {
  const error = await check(value).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArgumentValidationError);
  return (error as ArgumentValidationError).extensions.validationErrors as ValidationError[];
}

describe("argument validation (the schema's validateFn)", () => {
  test("an argument whose class has rules is checked: each broken rule is named, the value and the object are not", async () => {
    const errors = await refusal(make(Ruled, { title: "far too long", size: 11 }));
    expect(errors.map((e) => [e.property, Object.keys(e.constraints ?? {})])).toEqual([
      ["title", ["isLength"]],
      ["size", ["max"]],
    ]);
    for (const e of errors) {
      expect(e).not.toHaveProperty("value");
      expect(e).not.toHaveProperty("target");
    }
  });

  test("a rule is checked only where the field was given", async () => {
    await expect(check(make(Ruled, { size: 3 }))).resolves.toBeUndefined();
    expect((await refusal(make(Ruled, { size: 3.5 }))).map((e) => e.property)).toEqual(["size"]);
  });

  test("in a list, the first element that breaks a rule gives the error", async () => {
    const errors = await refusal([make(Ruled, { title: "ok" }), make(Ruled, { title: "" }), make(Ruled, { size: 99 })]);
    expect(errors.map((e) => e.property)).toEqual(["title"]);
  });

  test("arguments without rules pass whatever they hold: plain objects, scalars, null", async () => {
    for (const value of [make(Plain, { title: 12 }), { title: "" }, [make(Plain, { title: null })], "text", 7, null, undefined]) {
      await expect(check(value)).resolves.toBeUndefined();
    }
  });
});
