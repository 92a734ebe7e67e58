import { badUserInput } from "./errors";

// Relay-style global IDs: base64("Type:localId"). Opaque to clients, stable
// for the life of a row (a stub filled in place keeps its ID).
export type NodeType = "Article" | "Author" | "Tag" | "Collection" | "LiveEntry" | "Image";
const NODE_TYPES: ReadonlySet<string> = new Set<NodeType>(["Article", "Author", "Tag", "Collection", "LiveEntry", "Image"]);

export function toGlobalId(type: NodeType, id: number): string {
  // "Type:digits" is ASCII, which btoa encodes as Buffer would, in less than half the time (a front page makes a hundred of these).
  return btoa(`${type}:${id}`);
}

export interface DecodedId {
  type: NodeType;
  id: number;
}

/** Decodes any node ID; throws BAD_USER_INPUT naming `argument` when it is not one of ours. */
export function fromGlobalId(globalId: string, argument = "id"): DecodedId {
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(globalId) ? Buffer.from(globalId, "base64").toString("utf8") : "";
  const match = /^([A-Za-z]+):([1-9]\d{0,9})$/.exec(decoded);
  if (!match || !NODE_TYPES.has(match[1]) || Number(match[2]) > 2147483647) {
    throw badUserInput(`${argument} "${truncate(globalId)}" is not a valid node ID.`, argument);
  }
  return { type: match[1] as NodeType, id: Number(match[2]) };
}

/** Decodes an ID that must name a node of `type`. */
export function idOf(type: NodeType, globalId: string, argument = "id"): number {
  const decoded = fromGlobalId(globalId, argument);
  if (decoded.type !== type) {
    throw badUserInput(`${argument} names ${withArticle(decoded.type)}, but ${withArticle(type)} ID was expected.`, argument);
  }
  return decoded.id;
}

function withArticle(type: string): string {
  return /^[AEIOU]/.test(type) ? `an ${type}` : `a ${type}`;
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
