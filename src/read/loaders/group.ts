/** Groups DataLoader keys by a signature, keeping each key's index, so that one statement serves each group. */
export function groupBy<K>(keys: readonly K[], signature: (key: K) => string): Map<string, { key: K; index: number }[]> {
  const groups = new Map<string, { key: K; index: number }[]>();
  keys.forEach((key, index) => {
    const sig = signature(key);
    const list = groups.get(sig);
    if (list) list.push({ key, index });
    else groups.set(sig, [{ key, index }]);
  });
  return groups;
}

/** Orders rows by the keys that asked for them: one result (or null) per key. */
export function byKey<K, V>(keys: readonly K[], values: readonly V[], keyOf: (v: V) => K): (V | null)[] {
  const map = new Map<K, V>();
  for (const v of values) map.set(keyOf(v), v);
  return keys.map((k) => map.get(k) ?? null);
}

/** Groups rows under the key that asked for them: a list (maybe empty) per key. */
export function listsByKey<K, V>(keys: readonly K[], values: readonly V[], keyOf: (v: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const k of keys) map.set(k, []);
  for (const v of values) map.get(keyOf(v))?.push(v);
  return keys.map((k) => map.get(k) ?? []);
}
