import { getMetadataStorage, type ValidationError, validate, type ValidatorOptions } from "class-validator";
import { ArgumentValidationError, type ValidatorFn } from "type-graphql";

/**
 * How class-validator checks arguments: a rule is checked only where the
 * client gave the field (absent optional fields are the resolvers' to
 * default), unknown classes pass, and errors name the field and the rule
 * but leave out the submitted value and the object, which the client
 * already has and the logs must not copy.
 */
const OPTIONS: ValidatorOptions = {
  skipMissingProperties: true,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

/** Whether class-validator has any rule for instances of this class (its own or inherited), learned once per class. */
const ruled = new WeakMap<object, boolean>();
export function hasRules(type: object): boolean {
  let known = ruled.get(type);
  if (known === undefined) {
    known = getMetadataStorage().getTargetValidationMetadatas(type as () => void, "", true, false).length > 0;
    ruled.set(type, known);
  }
  return known;
}

const needsCheck = (value: unknown): value is object => value !== null && typeof value === "object" && hasRules((value as object).constructor);

/**
 * The schema's argument validation (buildSchema's `validateFn`): the
 * mutation inputs carry class-validator rules; the read path's argument
 * classes (page sizes, cursors, lookups) carry none. type-graphql's own
 * validation hands every object argument to class-validator, re-importing
 * it on each call, which on the article page cost more than its lookups'
 * resolvers. Here an argument whose class has no rule is passed through,
 * and the others are checked as type-graphql would: each element of a
 * list, the first element that fails giving the error, and the same
 * ArgumentValidationError for the error formatter
 * (src/graphql/limits/inputErrors.ts).
 */
export const validateArguments: ValidatorFn = async (value) => {
  const items = Array.isArray(value) ? value.filter(needsCheck) : needsCheck(value) ? [value] : [];
  if (items.length === 0) return;
  const failed = (await Promise.all(items.map((item) => validate(item, OPTIONS)))).find((errors: ValidationError[]) => errors.length > 0);
  if (failed) throw new ArgumentValidationError(failed);
};
