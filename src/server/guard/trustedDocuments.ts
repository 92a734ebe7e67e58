import fs from "node:fs";
import { GraphQLError } from "graphql";
import { ConfigError } from "../../config";

/** Stable codes of the refusals (400) when trusted documents are on. */
export const TrustedDocumentCode = {
  /** The request carried a document of its own, or no hash at all. */
  REQUIRED: "TRUSTED_DOCUMENT_REQUIRED",
  /** The hash is not in the manifest (a front end newer than the gateway's manifest, or a guess). */
  NOT_FOUND: "TRUSTED_DOCUMENT_NOT_FOUND",
} as const;

/**
 * The documents anonymous callers may run (TRUSTED_DOCUMENTS): the
 * persisted-documents manifest of GraphQL Code Generator's client preset,
 * a JSON object from hash to document. Keys are "sha256:<hex>" (the
 * preset's form with hashAlgorithm sha256) or bare hex; clients may send
 * either form.
 */
export class TrustedDocuments {
  private readonly byHash = new Map<string, string>();

  constructor(manifest: Record<string, string>) {
    for (const [hash, document] of Object.entries(manifest)) this.byHash.set(bare(hash), document);
  }

  static load(file: string): TrustedDocuments {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      throw new ConfigError(`TRUSTED_DOCUMENTS: ${file} could not be read as JSON (${(e as Error).message}).`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((d) => typeof d === "string")) {
      throw new ConfigError(`TRUSTED_DOCUMENTS: ${file} must be a JSON object from hash to document, as the client preset writes it.`);
    }
    return new TrustedDocuments(parsed as Record<string, string>);
  }

  get size(): number {
    return this.byHash.size;
  }

  /**
   * The manifest document a request names, or the refusal. `params` are the
   * request's GraphQL parameters (a POST body, or GET's query string read
   * into an object). Nothing is parsed here: a refused request costs a map
   * lookup.
   */
  resolve(params: { query?: unknown; extensions?: unknown; documentId?: unknown }): { document: string } | { refusal: GraphQLError } {
    if (typeof params.query === "string" && params.query !== "") {
      return refuse(TrustedDocumentCode.REQUIRED, "Only the site's own documents may be run without an API key: send the document's hash (extensions.persistedQuery.sha256Hash or documentId), not its text.");
    }
    const hash = hashOf(params);
    if (hash === undefined) {
      return refuse(TrustedDocumentCode.REQUIRED, "Send the hash of one of the site's documents in extensions.persistedQuery.sha256Hash or documentId.");
    }
    const document = this.byHash.get(bare(hash));
    if (document === undefined) return refuse(TrustedDocumentCode.NOT_FOUND, "No trusted document has this hash; the front end and the gateway's manifest may be of different releases.");
    return { document };
  }
}

function bare(hash: string): string {
  return hash.startsWith("sha256:") ? hash.slice("sha256:".length) : hash;
}

function hashOf(params: { extensions?: unknown; documentId?: unknown }): string | undefined {
  if (typeof params.documentId === "string") return params.documentId;
  const extensions = typeof params.extensions === "object" && params.extensions !== null ? (params.extensions as Record<string, unknown>) : {};
  const persisted = extensions.persistedQuery as { sha256Hash?: unknown } | undefined;
  if (typeof persisted?.sha256Hash === "string") return persisted.sha256Hash;
  return typeof extensions.documentId === "string" ? extensions.documentId : undefined;
}

function refuse(code: string, message: string): { refusal: GraphQLError } {
  return { refusal: new GraphQLError(message, { extensions: { code, http: { status: 400 } } }) };
}

/**
 * An HTTP request's GraphQL parameters with the manifest document in place
 * of the hash. The hash is dropped from the extensions so that Apollo runs
 * the document as sent rather than through its own persisted-query cache.
 */
export function trustedRequest(
  docs: TrustedDocuments,
  body: unknown,
  search: string,
): { body: unknown; search: string } | { refusal: GraphQLError } {
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const resolved = docs.resolve(body as Record<string, unknown>);
    if ("refusal" in resolved) return resolved;
    const { documentId: _id, extensions, ...rest } = body as Record<string, unknown>;
    return { body: { ...rest, query: resolved.document, ...withoutHash(extensions) }, search };
  }
  if (body !== undefined) return refuse(TrustedDocumentCode.REQUIRED, "Send a JSON body that names one of the site's documents by its hash.");
  const params = new URLSearchParams(search);
  let extensions: unknown;
  try {
    extensions = params.has("extensions") ? JSON.parse(params.get("extensions") as string) : undefined;
  } catch {
    return refuse(TrustedDocumentCode.REQUIRED, "extensions is not valid JSON.");
  }
  const resolved = docs.resolve({ query: params.get("query") ?? undefined, extensions, documentId: params.get("documentId") ?? undefined });
  if ("refusal" in resolved) return resolved;
  params.delete("documentId");
  params.delete("extensions");
  const rest = withoutHash(extensions).extensions;
  if (rest) params.set("extensions", JSON.stringify(rest));
  params.set("query", resolved.document);
  return { body, search: `?${params}` };
}

function withoutHash(extensions: unknown): { extensions?: Record<string, unknown> } {
  if (typeof extensions !== "object" || extensions === null) return {};
  const { persistedQuery: _pq, documentId: _id, ...rest } = extensions as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? { extensions: rest } : {};
}
