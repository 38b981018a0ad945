// The edge cache of the public reads (catalog, availability): database data stamped with the versions it was read at
// (migrations/0029). Every request reads the current versions in its one round trip, and the data only when they
// differ from the entry's stamp, so an entry is served exactly while nothing it holds has changed.
import { type SQL, sql } from "drizzle-orm";
import type { Database, TenantScope } from "../../db/client.ts";

/** What the cache keeps for a key: the data as the database returned it, and the stamp it was read at. */
export interface ReadCacheEntry {
  stamp: string;
  data: unknown;
}

/** The Workers Cache API (or an in-memory stand-in) behind the two calls the public reads need. */
export interface PublicReadCache {
  get(key: string): Promise<ReadCacheEntry | undefined>;
  put(key: string, entry: ReadCacheEntry): Promise<void>;
}

/** How long the Cache API keeps an entry: only a bound on storage, since every use is validated against the versions. */
export const PUBLIC_READ_CACHE_TTL_SECONDS = 86_400;

/**
 * Part of every key: a release that changes what an entry holds (the SQL functions' output, its parsing) bumps it, so
 * it never reads an older release's entries, whose stamps would still match.
 */
export const PUBLIC_READ_CACHE_FORMAT = 1;

/** The subset of the Workers `Cache` used here (`caches.default`). */
export interface CacheStorageLike {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

/** Keys become URLs on a host of our own: the Cache API keys on requests. */
const cacheRequest = (key: string) =>
  new Request(`https://public-read-cache.bookra.internal/${encodeURIComponent(key)}`);

export function workersReadCache(cache: CacheStorageLike): PublicReadCache {
  return {
    async get(key) {
      const res = await cache.match(cacheRequest(key));
      return res ? asEntry(await res.json()) : undefined;
    },
    async put(key, entry) {
      const headers = {
        "content-type": "application/json",
        "cache-control": `public, max-age=${PUBLIC_READ_CACHE_TTL_SECONDS}`,
      };
      await cache.put(cacheRequest(key), new Response(JSON.stringify(entry), { headers }));
    },
  };
}

/** An in-process cache (tests, Node): entries are copied through JSON, as the Cache API stores them. */
export function memoryReadCache(limit = 1_000): PublicReadCache {
  const entries = new Map<string, string>();
  return {
    get: async (key) => {
      const text = entries.get(key);
      return text === undefined ? undefined : asEntry(JSON.parse(text));
    },
    put: async (key, entry) => {
      entries.delete(key);
      if (entries.size >= limit) entries.delete(entries.keys().next().value as string);
      entries.set(key, JSON.stringify(entry));
    },
  };
}

function asEntry(value: unknown): ReadCacheEntry | undefined {
  const v = value as Partial<ReadCacheEntry> | null;
  return v && typeof v.stamp === "string" && v.data !== undefined && v.data !== null
    ? { stamp: v.stamp, data: v.data }
    : undefined;
}

/** hit: the entry's versions are current; stale: they moved on and the data was read again; miss: no entry. */
export type PublicReadOutcome = "hit" | "stale" | "miss";

/** What a stamped read produced: the data (null: no tenant), and whether it came from the cache. */
export interface StampedResult {
  data: unknown;
  cache: PublicReadOutcome;
  /** Puts the data in the cache once the caller has found it valid (an error is never cached). */
  remember(): Promise<void>;
}

/**
 * One round trip: the tenant's current stamp, and `data` only when the stamp differs from the cached entry's (else
 * NULL, so the heavy query does not run). A cache that fails is a cache that missed; the request never fails for it.
 */
export async function readStamped(args: {
  db: Database;
  scope: TenantScope;
  cache: PublicReadCache | undefined;
  key: string;
  stamp: SQL;
  data: SQL;
}): Promise<StampedResult> {
  const { db, scope, cache } = args;
  const key = `v${PUBLIC_READ_CACHE_FORMAT}|${args.key}`;
  const entry = cache ? await cache.get(key).catch(() => undefined) : undefined;
  const [rows] = await db.read(scope, [
    sql`SELECT v.stamp, CASE WHEN v.stamp IS NOT DISTINCT FROM ${entry?.stamp ?? null} THEN NULL ELSE ${args.data} END AS data
      FROM (SELECT ${args.stamp} AS stamp OFFSET 0) v`,
  ]);
  const row = rows?.[0] as { stamp: string | null; data: unknown } | undefined;
  const stamp = row?.stamp ?? null;
  if (stamp === null) return { data: null, cache: "miss", remember: async () => {} };
  if (entry?.stamp === stamp) return { data: entry.data, cache: "hit", remember: async () => {} };
  const data = row?.data ?? null;
  return {
    data,
    cache: entry ? "stale" : "miss",
    remember: async () => {
      if (cache && data !== null) await cache.put(key, { stamp, data }).catch(() => {});
    },
  };
}
