import { GraphQLError } from "graphql";
import type { AuthChecker } from "type-graphql";
import type { Context } from "./context";
import { ErrorCode } from "./errors";
import type { Role } from "../read/viewer";

/**
 * type-graphql's @Authorized(roles) check. type-graphql's own errors use
 * the code UNAUTHORIZED for both cases; clients of this API switch on
 * UNAUTHENTICATED (send a key) and FORBIDDEN (this key's role may not).
 */
export const authChecker: AuthChecker<Context, Role> = ({ context }, roles) => {
  const role = context.viewer.role;
  if (role === "reader") {
    throw new GraphQLError("This needs an API key: send `Authorization: Bearer <key>`.", { extensions: { code: ErrorCode.UNAUTHENTICATED } });
  }
  if (roles.length > 0 && !roles.includes(role)) {
    throw new GraphQLError(`This needs the ${roles.join(" or ")} role; the key has the ${role} role.`, { extensions: { code: ErrorCode.FORBIDDEN } });
  }
  return true;
};
