import type { ValidationError } from "class-validator";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { ErrorCode } from "../errors";

export interface FieldProblem {
  /** Dotted path of the input field, e.g. "title" or "pages.3". */
  field: string;
  /** class-validator rule names, e.g. ["maxLength"]. */
  rules: string[];
  messages: string[];
}

function flatten(errors: readonly ValidationError[], prefix: string, out: FieldProblem[]): FieldProblem[] {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out.push({ field, rules: Object.keys(e.constraints), messages: Object.values(e.constraints) });
    if (e.children?.length) flatten(e.children, field, out);
  }
  return out;
}

/**
 * type-graphql's ArgumentValidationError as a BAD_USER_INPUT error that
 * names each field and rule. The schema builds class-validator errors
 * without `value` and `target`, and class-validator's default messages do
 * not quote the value, so nothing the client sent is echoed back (or
 * logged).
 */
export function formatInputError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError | null {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  if (!(original instanceof ArgumentValidationError)) return null;
  const problems = flatten((original.extensions.validationErrors as ValidationError[] | undefined) ?? [], "", []);
  const summary = problems.map((p) => `${p.field} (${p.rules.join(", ")})`).join("; ");
  return {
    message: `Invalid input: ${summary || "the input does not pass validation"}.`,
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.BAD_USER_INPUT, fields: problems },
  };
}
