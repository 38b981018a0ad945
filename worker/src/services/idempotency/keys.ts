// Idempotency-Key (API.md conventions): what is shared by the two strategies that write `idempotency_keys`, and what
// each column means, whichever strategy wrote the row.
//
//   tenant_id, scope, key  the key is used once per tenant and scope (the primary key). `scope` names the operation:
//                          `METHOD /route/{pattern}` for pre-claim routes, `public.bookings.create`,
//                          `admin.bookings.reschedule:<booking id>`, … on the booking path. A scope belongs to one
//                          strategy, so the two never meet on a row.
//   request_hash           requestHash(target, body): SHA-256 of what the request acts on and its canonical JSON body.
//                          The same key with another hash is a 422 IDEMPOTENCY_KEY_REUSED.
//   response_status        0 while the key is claimed and its response not stored yet; else the HTTP status replayed.
//   response_body          the JSON body replayed with that status ('{}' while claimed). Routes whose response carries a
//                          secret store it redacted and refuse replays with a 409.
//   created_at             when the key was claimed: it replays for KEY_LIFETIME_HOURS, then is a new request; the
//                          retention sweep deletes it after 48 h (migrations/0010).
//
// The strategies:
// - in the creating transaction (in-transaction.ts, the booking path): the claim, the object and the stored response
//   are written by one transaction (claim_idempotency_key() and book() of migrations/0009), so a row is never seen
//   with status 0; a concurrent duplicate waits on the claim's row lock, then replays.
// - pre-claim (pre-claim.ts, admin POSTs whose service opens its own transactions): the key is claimed by the first
//   statement of the service's first transaction, the handler runs, its response is stored afterwards; a failure frees
//   the key, and a claim left at status 0 for ABANDONED_AFTER_SECONDS is taken over.
import { AppError, Conflict } from "../../errors.ts";
import { sha256Hex } from "../../lib/crypto.ts";

/** API.md: a key replays for 24 h; after that it is a new request (claim_idempotency_key() of migrations/0009 too). */
export const KEY_LIFETIME_HOURS = 24;

export interface IdempotencyRequest {
  /** The operation the key belongs to: a key is used once per scope (see the column notes above). */
  scope: string;
  key: string;
  /** requestHash() of the request. */
  requestHash: string;
}

/** A stored response, as replayed: `response_status` and `response_body`. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * The one request hash: SHA-256 of the request's target (what it acts on: `METHOD /concrete/path`, or a booking scope
 * that names its booking) and its body as canonical JSON (keys sorted, no layout), so the same JSON in another key
 * order or layout is the same request. An absent body hashes as empty.
 */
export async function requestHash(target: string, body: unknown): Promise<string> {
  return sha256Hex(`${target}\n${canonicalJson(body)}`);
}

function canonicalJson(value: unknown): string {
  if (value === undefined) return "";
  return JSON.stringify(value, (_, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The booking path's request: the scope is its target (a reschedule's scope names the booking). */
export async function idempotencyRequest(
  key: string | undefined,
  scope: string,
  body: unknown,
): Promise<IdempotencyRequest | undefined> {
  if (key === undefined) return undefined;
  return { key, scope, requestHash: await requestHash(scope, body) };
}

/** The same key came with another request: 422, nothing changed. */
export function keyReused(): AppError {
  return new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request");
}

export class IdempotencyInProgress extends Conflict {
  constructor() {
    super("A request with this Idempotency-Key is in progress; retry it in a moment");
  }
}
