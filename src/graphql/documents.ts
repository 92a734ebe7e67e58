import { type DocumentNode, type FragmentDefinitionNode, Kind } from "graphql";

/** A document's fragment definitions by name, for walks that follow fragment spreads. */
export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return fragments;
}

/**
 * Values kept per parsed document and key (an operation name, variables).
 * Apollo's document store keeps one DocumentNode per query text, so what
 * depends only on the document is worked out once per text; entries go
 * when Apollo drops the document. Keys come from clients, so each
 * document holds at most `maxKeys` of them.
 */
export class DocumentMemo<T> {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, T>>();

  constructor(private readonly maxKeys: number) {}

  get(document: DocumentNode, key: string): T | undefined {
    return this.byDocument.get(document)?.get(key);
  }

  set(document: DocumentNode, key: string, value: T): T {
    let values = this.byDocument.get(document);
    if (!values) this.byDocument.set(document, (values = new Map()));
    if (values.size >= this.maxKeys && !values.has(key)) values.clear();
    values.set(key, value);
    return value;
  }

  /** The value kept for the key, or the one `make` gives, kept from now on. */
  getOrMake(document: DocumentNode, key: string, make: () => T): T {
    const found = this.get(document, key);
    return found !== undefined ? found : this.set(document, key, make());
  }
}
