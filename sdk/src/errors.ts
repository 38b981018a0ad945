// One error family for every failure the SDK reports, built in one place from the API's `{ error: { … } }` body.

/** One field-level problem of a `VALIDATION_FAILED` response. */
export interface Issue {
  path: (string | number)[];
  message: string;
}

export interface BookraErrorFields {
  code: string;
  status?: number;
  requestId?: string;
  issues?: Issue[];
  cause?: unknown;
}

/**
 * Every error the SDK throws. `code` is the API's code (`SLOT_UNAVAILABLE`, …) or the SDK's own for failures without a
 * response (`NETWORK_ERROR`, `TIMEOUT`, `ABORTED`); `requestId` is what to quote to support.
 * @example
 * try { await bookra.bookings.create(input) } catch (e) {
 *   if (e instanceof SlotUnavailableError) showOtherSlots();
 *   else if (e instanceof BookraError) console.error(e.code, e.requestId);
 * }
 */
export class BookraError extends Error {
  override name = "BookraError";
  readonly code: string;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly issues: Issue[] | undefined;
  constructor(message: string, fields: BookraErrorFields) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.code = fields.code;
    this.status = fields.status;
    this.requestId = fields.requestId;
    this.issues = fields.issues;
  }
}

/** 400: the request was refused as malformed; `issues` lists the fields. */
export class ValidationError extends BookraError {
  override name = "ValidationError";
}
/** 401: missing, unknown or revoked API key or manage token. */
export class AuthenticationError extends BookraError {
  override name = "AuthenticationError";
}
/** 403: authenticated, but not allowed to do this. */
export class PermissionError extends BookraError {
  override name = "PermissionError";
}
/** 404: no such object for this tenant (another tenant's objects are reported the same way). */
export class NotFoundError extends BookraError {
  override name = "NotFoundError";
}
/** 409: the change conflicts with the current state (a taken slug, a booking that can no longer change, …). */
export class ConflictError extends BookraError {
  override name = "ConflictError";
}
/** 409 `SLOT_UNAVAILABLE`: the start is not offered or someone else took it; list availability again. */
export class SlotUnavailableError extends ConflictError {
  override name = "SlotUnavailableError";
}
/** 422: the same idempotency key was used with a different request body. */
export class IdempotencyError extends BookraError {
  override name = "IdempotencyError";
}
/** 429: too many requests; the SDK already retried as often as `maxRetries` allowed. */
export class RateLimitError extends BookraError {
  override name = "RateLimitError";
}
/** 5xx: a fault on the API's side. */
export class ServerError extends BookraError {
  override name = "ServerError";
}
/** No response: the connection failed (DNS, refused, reset, offline, CORS). */
export class NetworkError extends BookraError {
  override name = "NetworkError";
}
/** No response within `timeoutMs` (the SDK's own deadline, not the caller's signal). */
export class TimeoutError extends NetworkError {
  override name = "TimeoutError";
}
/** The caller's `AbortSignal` fired; nothing was retried after it. */
export class AbortError extends BookraError {
  override name = "AbortError";
}

const BY_STATUS: Record<number, typeof BookraError> = {
  400: ValidationError,
  401: AuthenticationError,
  403: PermissionError,
  404: NotFoundError,
  409: ConflictError,
  413: ValidationError,
  422: IdempotencyError,
  429: RateLimitError,
};

/** The one factory from an HTTP error response (status, raw body text, headers) to the matching error class. */
export function errorFromResponse(status: number, text: string, headers: Headers): BookraError {
  let body: Partial<{ code: string; message: string; requestId: string; issues: Issue[] }> = {};
  try {
    body = JSON.parse(text).error ?? {};
  } catch {
    // not the API's JSON (a proxy's HTML page, an empty body): keep the status
  }
  const code = typeof body.code === "string" ? body.code : `HTTP_${status}`;
  const Kind =
    code === "SLOT_UNAVAILABLE"
      ? SlotUnavailableError
      : (BY_STATUS[status] ?? (status >= 500 ? ServerError : BookraError));
  return new Kind(typeof body.message === "string" ? body.message : `HTTP ${status}`, {
    code,
    status,
    requestId: body.requestId ?? headers.get("x-request-id") ?? undefined,
    issues: body.issues,
  });
}
