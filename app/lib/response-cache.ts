/**
 * A small in-process LRU with a time limit, for storefront answers that many shoppers share
 * (anonymous product pages). Keys include the model's built_at and the merchant settings'
 * version, so a rebuild or a settings save makes every older entry unreachable (in every
 * process, not just the one that saved); they age out of the LRU instead of being deleted one
 * by one.
 */
export class ResponseCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.clock()) return undefined;
    // Re-inserting moves the key to the end: Map iteration order is the recency order.
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.clock() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Every cachePerDatabase's caches, so forgetDatabaseCaches reaches them all. */
const perDatabase = new Set<WeakMap<object, ResponseCache<unknown>>>();

/**
 * One ResponseCache per database handle, made on first use: for per-shop entries, which must not
 * carry over between databases that reuse shop ids (tests' scratch databases).
 */
export function cachePerDatabase<V>(
  maxEntries: number,
  ttlMs: number,
): (database: object) => ResponseCache<V> {
  const caches = new WeakMap<object, ResponseCache<V>>();
  perDatabase.add(caches as WeakMap<object, ResponseCache<unknown>>);
  return (database) => {
    let cache = caches.get(database);
    if (!cache) {
      cache = new ResponseCache<V>(maxEntries, ttlMs);
      caches.set(database, cache);
    }
    return cache;
  };
}

/** Drops every cachePerDatabase entry of `database`: its tables were emptied (tests). */
export function forgetDatabaseCaches(database: object): void {
  for (const caches of perDatabase) caches.delete(database);
}

/**
 * Reads many ids through `cache`: cached ones from memory, the others with one `load` call,
 * remembered afterwards. Ids `load` does not return are remembered as absent, so an unknown id
 * does not cost a read on every request.
 */
export async function readManyThrough<V>(
  cache: ResponseCache<{ value: V | null }>,
  keyOf: (id: string) => string,
  ids: readonly string[],
  load: (missing: string[]) => Promise<Map<string, V>>,
): Promise<Map<string, V>> {
  const found = new Map<string, V>();
  const missing: string[] = [];
  for (const id of ids) {
    const cached = cache.get(keyOf(id));
    if (!cached) missing.push(id);
    else if (cached.value !== null) found.set(id, cached.value);
  }
  if (missing.length === 0) return found;
  const loaded = await load(missing);
  for (const id of missing) {
    const value = loaded.get(id) ?? null;
    cache.set(keyOf(id), { value });
    if (value !== null) found.set(id, value);
  }
  return found;
}
