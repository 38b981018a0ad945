// Group commit for small statements many concurrent callers make (loading outbox rows, marking them done, the local
// adapters' dev-mailbox writes): calls for one key (a tenant — RLS scopes a transaction to one) made while that key's
// previous statement is in flight are sent together as the next one. Each caller still gets its own result, only
// after the statement that carried it has committed; if it fails, every caller it carried gets the error.

type Pending<T, R> = { item: T; ok: (r: R) => void; fail: (err: unknown) => void };

/** `flush` must return one result per item, in order. At most one flush per key runs at a time. */
export function grouped<T, R>(
  flush: (key: string, items: T[]) => Promise<R[]>,
  maxItems = 100,
): (key: string, item: T) => Promise<R> {
  const queues = new Map<string, { items: Pending<T, R>[]; running: boolean }>();
  const pump = async (key: string) => {
    const q = queues.get(key);
    if (!q || q.running) return;
    q.running = true;
    while (q.items.length > 0) {
      const taken = q.items.splice(0, maxItems);
      try {
        const results = await flush(
          key,
          taken.map((t) => t.item),
        );
        for (const [i, t] of taken.entries()) t.ok(results[i] as R);
      } catch (err) {
        for (const t of taken) t.fail(err);
      }
    }
    queues.delete(key);
  };
  return (key, item) =>
    new Promise<R>((ok, fail) => {
      let q = queues.get(key);
      if (!q) {
        q = { items: [], running: false };
        queues.set(key, q);
      }
      q.items.push({ item, ok, fail });
      // Callers in the same turn of the event loop go together; later ones wait for the flush in flight.
      if (!q.running) queueMicrotask(() => void pump(key));
    });
}
