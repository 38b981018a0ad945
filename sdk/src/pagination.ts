// Cursor pages: `await list()` gives one page; `for await (const x of list())` walks every page by `nextCursor`.
import type { Call, Input, OperationKey, Output, RequestOptions } from "./http.ts";

/** One page of a list, itself async-iterable over its items and every later page's. */
export interface Page<T> extends AsyncIterable<T> {
  data: T[];
  nextCursor: string | null;
  hasMore: boolean;
  /** The following page, or null after the last one. */
  nextPage(): Promise<Page<T> | null>;
}

/** What list methods return: a promise of the first page that can also be iterated directly with `for await`. */
export type PagePromise<T> = Promise<Page<T>> & AsyncIterable<T>;

export type PageLoader<T> = (cursor: string | undefined) => Promise<{ data: T[]; nextCursor: string | null }>;

export function paginate<T>(load: PageLoader<T>, cursor?: string): PagePromise<T> {
  const first: Promise<Page<T>> = load(cursor).then(({ data, nextCursor }) => ({
    data,
    nextCursor,
    hasMore: nextCursor !== null,
    nextPage: () => (nextCursor === null ? Promise.resolve(null) : paginate(load, nextCursor)),
    [Symbol.asyncIterator]: () => items(first),
  }));
  return Object.assign(first, { [Symbol.asyncIterator]: () => items(first) });
}

async function* items<T>(start: Promise<Page<T>>): AsyncGenerator<T> {
  for (let page: Page<T> | null = await start; page; page = await page.nextPage()) yield* page.data;
}

/** The item type of a list operation's `data`. */
export type Item<K extends OperationKey> = Output<K> extends { data: (infer T)[] } ? T : never;

/** A list operation as a `PagePromise`: its query plus the cursor of each following page. */
export function listOperation<K extends OperationKey>(
  call: Call,
  op: K,
  input: Input<K>,
  options?: RequestOptions,
): PagePromise<Item<K>> {
  const { query } = input as { query?: Record<string, unknown> };
  return paginate((cursor) => call(op, { ...input, query: { ...query, cursor } }, options) as never);
}
