import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { type ApiKey, createApiKey, type KeyRole, listApiKeys, revokeApiKey } from "../src/write/keys/apiKeys";
import type { Context } from "../src/graphql/context";
import { badUserInput } from "../src/graphql/errors";
import { ApiKeyInfo, CreateApiKeyInput, CreatedApiKey } from "./types/api-key";

function info(k: ApiKey): ApiKeyInfo {
  return { id: String(k.id), name: k.name, role: k.role, rateLimit: k.rateLimit, createdAt: k.createdAt, revokedAt: k.revokedAt };
}

/** Key management for admins; the `newsgraph keys` command does the same from a shell. */
@Resolver()
export class ApiKeyResolver {
  @Authorized(["admin"])
  @Query(() => [ApiKeyInfo], { description: "Every API key, revoked ones included (admins only)." })
  async apiKeys(@Ctx() ctx: Context): Promise<ApiKeyInfo[]> {
    return (await listApiKeys(ctx.app.db.dataSource)).map(info);
  }

  @Authorized(["admin"])
  @Mutation(() => CreatedApiKey, { description: "Makes a key (admins only). Its secret is in the answer and nowhere else." })
  async createApiKey(@Arg("input") input: CreateApiKeyInput, @Ctx() ctx: Context): Promise<CreatedApiKey> {
    const ds = ctx.app.db.dataSource;
    const [taken] = await ds.query("SELECT id FROM api_key WHERE name = ?", [input.name]);
    if (taken) throw badUserInput("name is already used by another API key.", "name");
    const rateLimit = input.rateLimit ?? ctx.app.config.security.defaultKeyRate;
    const { key, apiKey } = await createApiKey(ds, { name: input.name, role: input.role as KeyRole, rateLimit });
    return { key, apiKey: info(apiKey) };
  }

  @Authorized(["admin"])
  @Mutation(() => ApiKeyInfo, { description: "Revokes a key (admins only); running gateways stop accepting it within 30 seconds." })
  async revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<ApiKeyInfo> {
    if (!/^[1-9]\d{0,9}$/.test(id)) throw badUserInput(`id "${id.slice(0, 20)}" is not an API key id.`, "id");
    const revoked = await revokeApiKey(ctx.app.db.dataSource, id);
    if (!revoked) throw badUserInput("id names no API key.", "id");
    return info(revoked);
  }
}
