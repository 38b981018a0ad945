// The one request path under every resource: URL from the operation key, auth, idempotency keys, the per-attempt
// timeout, retries with backoff, and errors through the one factory. Only fetch, AbortController and crypto are used.
import { AbortError, BookraError, errorFromResponse, NetworkError, TimeoutError } from "./errors.ts";
import type { Operations } from "./generated/openapi.ts";

export interface ClientOptions {
  /** The API's origin, e.g. `http://127.0.0.1:8787` for `npm start`. */
  baseUrl: string;
  /** A fetch implementation (defaults to the global one): for tests, proxies or instrumentation. */
  fetch?: typeof fetch;
  /** Deadline of one attempt, in ms. @default 15000 */
  timeoutMs?: number;
  /**
   * Retries after a network error, a timeout, a 429 or a 5xx (only when repeating the request is safe), and after a
   * 409 with `Retry-After` to a keyed request (an earlier attempt with the key is still running). @default 2
   */
  maxRetries?: number;
  /** fetch's `credentials`: the dashboard client sends the session cookie with `same-origin`. */
  credentials?: "omit" | "same-origin" | "include";
}

export interface RequestOptions {
  /** Cancels the call, including any wait before a retry; the call then rejects with an `AbortError`. */
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface IdempotentRequestOptions extends RequestOptions {
  /** Sent as `Idempotency-Key`; one is generated per call when omitted and reused by that call's retries. */
  idempotencyKey?: string;
}

export interface CallOptions extends IdempotentRequestOptions {
  /** A bearer token for this call only (the public client's manage token). */
  token?: string;
}

export type OperationKey = keyof Operations;
export type Input<K extends OperationKey> = Omit<Operations[K], "response">;
export type Output<K extends OperationKey> = Operations[K]["response"];
export type Query<K extends OperationKey> = Operations[K] extends { query?: infer Q } ? Q : never;
export type Body<K extends OperationKey> = Operations[K] extends { body?: infer B } ? B : never;

/** Performs one operation; it carries an `Idempotency-Key` when the contract says the operation accepts one. */
export type Call = <K extends OperationKey>(op: K, input: Input<K>, options?: CallOptions) => Promise<Output<K>>;

export interface Transport {
  /** The admin client's secret key, sent as the bearer token unless a call brings its own. */
  apiKey?: string;
  /**
   * The operations to key, generated from the contract (`generated/idempotent.ts`): a client passes the table of the
   * operations it can call, so the public bundle carries no admin path.
   */
  idempotent: readonly OperationKey[];
}

interface LooseInput {
  path?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
}

const MAX_RETRY_AFTER_MS = 60_000;

/** A transport bound to one origin and, for the admin client, one API key. */
export function createCall(options: ClientOptions, transport: Transport): Call {
  const base = options.baseUrl.replace(/\/+$/, "");
  return async (op, input, opts = {}) => {
    const idempotent = transport.idempotent.includes(op);
    const [method, template] = op.split(" ") as [string, string];
    const { path = {}, query = {}, body } = input as LooseInput;
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v != null) search.append(k, String(v));
    const qs = search.toString();
    const url = `${base}${template.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(path[k] ?? ""))}${qs ? `?${qs}` : ""}`;
    const headers: Record<string, string> = { accept: "application/json" };
    const token = opts.token ?? transport.apiKey;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    if (idempotent) headers["idempotency-key"] = opts.idempotencyKey ?? newKey();
    // Repeating a POST or PATCH is only safe when the server deduplicates it by its idempotency key.
    const safe = idempotent || !(method === "POST" || method === "PATCH");
    const init = {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(options.credentials && { credentials: options.credentials }),
    };
    const maxRetries = opts.maxRetries ?? options.maxRetries ?? 2;
    const timeoutMs = opts.timeoutMs ?? options.timeoutMs ?? 15_000;
    const doFetch = options.fetch ?? fetch;
    for (let attempt = 0; ; attempt++) {
      let error: BookraError;
      let retryable = safe;
      let wait: number | undefined;
      try {
        const res = await attemptOnce(doFetch, url, init, timeoutMs, opts.signal);
        if (res.status < 300)
          // A CSV report is text (its operation's response type is string); everything else is JSON.
          return (res.headers.get("content-type")?.startsWith("text/csv") ? res.text : parseBody(res.text)) as never;
        error = errorFromResponse(res.status, res.text, res.headers);
        wait = retryAfterMs(res.headers.get("retry-after"));
        // A 429 was refused before any work was done, so even an unsafe request may repeat. A 409 with Retry-After
        // on a keyed request means an earlier attempt with this key is still running: ask again for its result.
        retryable =
          res.status === 429 || (safe && res.status >= 500) || (idempotent && res.status === 409 && wait !== undefined);
      } catch (e) {
        if (!(e instanceof NetworkError)) throw e;
        error = e;
      }
      if (!retryable || attempt >= maxRetries || (wait ?? 0) > MAX_RETRY_AFTER_MS) throw error;
      await sleep(wait ?? Math.min(8000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2), opts.signal);
    }
  };
}

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** One attempt: the timeout covers the body too; a user abort and our timeout are told apart. */
async function attemptOnce(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<RawResponse> {
  if (signal?.aborted) throw aborted(signal);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener("abort", onAbort);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const res = await doFetch(url, { ...init, signal: controller.signal });
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (cause) {
    if (signal?.aborted) throw aborted(signal);
    if (timedOut) throw new TimeoutError(`No response within ${timeoutMs} ms`, { code: "TIMEOUT", cause });
    throw new NetworkError(`Network error: ${(cause as Error)?.message ?? cause}`, { code: "NETWORK_ERROR", cause });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new BookraError("The API answered with something that is not JSON", { code: "INVALID_RESPONSE", cause });
  }
}

const aborted = (signal: AbortSignal) =>
  new AbortError("The request was aborted", { code: "ABORTED", cause: signal.reason });

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A fresh idempotency key: crypto.randomUUID where there is one (secure contexts), random bytes otherwise. */
function newKey(): string {
  const c = typeof crypto === "undefined" ? undefined : crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
