import { type Command, InvalidArgumentError } from "commander";
import type { DataSource } from "typeorm";
import { createApiKey, KEY_ROLES, type KeyRole, listApiKeys, revokeApiKey } from "./apiKeys";

export interface KeysCommandDeps {
  /** Opens the migrated database for one action and closes it after. */
  withDatabase<T>(fn: (ds: DataSource) => Promise<T>): Promise<T>;
  defaultRate: number;
  print(line: string): void;
}

function role(value: string): KeyRole {
  if (!(KEY_ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`--role must be one of ${KEY_ROLES.join(", ")}.`);
  return value as KeyRole;
}

function rate(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError("--rate must be a whole number of requests per minute, at least 1.");
  return Number(value);
}

function name(value: string): string {
  if (!/^[\w.@-]{1,191}$/.test(value)) throw new InvalidArgumentError("--name must be 1 to 191 letters, digits or . _ @ -.");
  if (/^\d+$/.test(value)) throw new InvalidArgumentError("--name must not be all digits (revoke takes an id or a name).");
  return value;
}

/** `newsgraph keys create|list|revoke`. */
export function registerKeysCommand(program: Command, deps: KeysCommandDeps): void {
  const keys = program.command("keys").description("Manage API keys for editors and admins.");

  keys
    .command("create")
    .description("Create a key and print it once; only its hash is stored.")
    .requiredOption("--role <role>", `${KEY_ROLES.join(" or ")}`, role)
    .requiredOption("--name <name>", "who or what uses the key (unique)", name)
    .option("--rate <n>", `requests per minute (default ${deps.defaultRate})`, rate)
    .action(async (opts: { role: KeyRole; name: string; rate?: number }) => {
      const { key, apiKey } = await deps.withDatabase((ds) => createApiKey(ds, { name: opts.name, role: opts.role, rateLimit: opts.rate ?? deps.defaultRate }));
      deps.print(`Created key ${apiKey.id} "${apiKey.name}" (${apiKey.role}, ${apiKey.rateLimit} requests/min).`);
      deps.print("Store it now; it cannot be shown again:");
      deps.print(key);
    });

  keys
    .command("list")
    .description("List keys (never their secrets).")
    .action(async () => {
      const all = await deps.withDatabase(listApiKeys);
      if (all.length === 0) return deps.print("No keys.");
      for (const k of all) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
        deps.print(`${k.id}\t${k.name}\t${k.role}\t${k.rateLimit}/min\tcreated ${k.createdAt.toISOString()}\t${state}`);
      }
    });

  keys
    .command("revoke <idOrName>")
    .description("Revoke a key by id or name; running gateways stop accepting it within 30 s.")
    .action(async (idOrName: string) => {
      const key = await deps.withDatabase((ds) => revokeApiKey(ds, idOrName));
      if (!key) throw new Error(`No key with id or name "${idOrName}".`);
      deps.print(`Revoked key ${key.id} "${key.name}".`);
    });
}
