// A scripted fetch for the SDK's unit tests: records each request and answers with the next scripted step.

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
  /** Date.now() when the request was sent (fake timers make this exact). */
  at: number;
  signal: AbortSignal | undefined;
  /** fetch's `credentials` option as sent (the dashboard's session client: "same-origin"). */
  credentials: string | undefined;
}

/** A response, a thrown network error, or a function of the request (for hanging or stateful servers). */
export type Step = Response | Error | ((req: Recorded) => Response | Promise<Response>);

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function apiError(
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return json(status, { error: { code, message: `${code} happened`, requestId: `req_${status}`, ...extra } }, headers);
}

/** Never answers; rejects like fetch does when its signal aborts. */
export const hang: Step = (req) =>
  new Promise((_, reject) => {
    req.signal?.addEventListener("abort", () => reject(new DOMException("This operation was aborted", "AbortError")));
  });

export function fakeFetch(...steps: Step[]) {
  const calls: Recorded[] = [];
  const fn = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const text = typeof init.body === "string" ? init.body : undefined;
    const req: Recorded = {
      method: init.method ?? "GET",
      url: new URL(String(input)),
      headers: new Headers(init.headers),
      body: text === undefined ? undefined : JSON.parse(text),
      at: Date.now(),
      signal: init.signal ?? undefined,
      credentials: (init as { credentials?: string }).credentials,
    };
    calls.push(req);
    const step = steps.shift();
    if (step === undefined) throw new Error(`unexpected request ${req.method} ${req.url}`);
    if (step instanceof Error) throw step;
    return typeof step === "function" ? step(req) : step;
  };
  return { fetch: fn as typeof fetch, calls };
}

/**
 * A tiny server that honours Idempotency-Key like the API does, and loses the response of chosen attempts after
 * doing the work (the case retries exist for): `lose(n)` makes attempt n answer 503 or fail on the network.
 */
export function idempotentServer() {
  const done = new Map<string, unknown>();
  let created = 0;
  const handle = (req: Recorded) => {
    const key = req.headers.get("idempotency-key");
    if (!key) throw new Error("no idempotency key");
    if (!done.has(key)) done.set(key, { booking: { id: `bkg_${++created}` }, manageToken: "mt_x" });
    return done.get(key);
  };
  return {
    get created() {
      return created;
    },
    afterWork503: ((req: Recorded) => {
      handle(req);
      return apiError(503, "INTERNAL");
    }) satisfies Step,
    afterWorkNetworkError: ((req: Recorded) => {
      handle(req);
      throw new TypeError("fetch failed: socket hang up");
    }) satisfies Step,
    ok: ((req: Recorded) => json(201, handle(req))) satisfies Step,
  };
}
