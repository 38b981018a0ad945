// What every widget instance on a page shares: the SDK client, the tenant's catalog (fetched once), and the way
// events reach the host page (texts are the views' concern: i18n.ts). Listener failures are logged (log.ts),
// never thrown into the host.
import { type Bookra, type Catalog, createBookra } from "@bookra/sdk";
import { warn } from "./log.ts";

export type Listener = (detail: unknown) => void;

export interface WidgetEnv {
  api: Bookra;
  tenant: string;
  /** The API origin the loader was served from (hosted pages link there). */
  base: string;
  catalog(): Promise<Catalog>;
  /** Calls the `Bookra('on', …)` listeners and dispatches `bookra:<name>` on `target` (bubbling to window). */
  emit(name: string, detail: unknown, target?: EventTarget | null): void;
  on(name: string, fn: Listener): void;
  off(name: string, fn: Listener): void;
}

export function createEnv(base: string, tenant: string): WidgetEnv {
  const api = createBookra({ baseUrl: base, tenant, maxRetries: 1 });
  const listeners = new Map<string, Set<Listener>>();
  let catalog: Promise<Catalog> | undefined;
  return {
    api,
    tenant,
    base,
    catalog: () => {
      catalog ??= api.catalog.get().catch((e) => {
        catalog = undefined; // a later retry may succeed
        throw e;
      });
      return catalog;
    },
    emit(name, detail, target) {
      for (const fn of listeners.get(name) ?? []) {
        try {
          fn(detail);
        } catch (e) {
          warn(`a "${name}" listener threw`, e);
        }
      }
      try {
        (target ?? window).dispatchEvent(new CustomEvent(`bookra:${name}`, { detail, bubbles: true, composed: true }));
      } catch (e) {
        warn(`a "bookra:${name}" event handler threw`, e);
      }
    },
    on(name, fn) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name)!.add(fn);
    },
    off(name, fn) {
      listeners.get(name)?.delete(fn);
    },
  };
}
