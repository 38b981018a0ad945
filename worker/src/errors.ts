// One error family for the whole API: services throw AppError, app.onError turns it into the documented JSON shape.
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "INVALID_CREDENTIALS"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "SLOT_UNAVAILABLE"
  | "CONFLICT"
  | "IDEMPOTENCY_KEY_REUSED"
  | "URL_NOT_PUBLIC"
  | "LIMIT_REACHED"
  | "PAYLOAD_TOO_LARGE"
  | "RATE_LIMITED"
  | "TOO_MANY_HOLDS"
  | "RESCHEDULE_LIMIT_REACHED"
  | "LEDGER_RULE_VIOLATED"
  | "DESK_OVERPAID"
  | "BALANCE_DUE"
  | "TIP_EXCEEDS_PAYMENTS"
  | "DISCOUNT_EXCEEDS_BALANCE"
  | "DEPOSITS_EXCEED_PRICE"
  | "ALREADY_COMPLETED"
  | "REFUND_EXCEEDS_REFUNDABLE"
  | "PAYMENTS_NOT_READY"
  | "COMMISSION_RULE_INVALID"
  | "STAFF_OVERPAID"
  | "INTERNAL";

export const STATUS_BY_CODE: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  // Sign-in: the same answer for an unknown e-mail address and a wrong password (issue 12).
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  SLOT_UNAVAILABLE: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  URL_NOT_PUBLIC: 422,
  LIMIT_REACHED: 422,
  RATE_LIMITED: 429,
  // 409, not 429: nothing to retry soon (the SDK repeats a 429), the customer must pay for a hold or let one lapse.
  TOO_MANY_HOLDS: 409,
  RESCHEDULE_LIMIT_REACHED: 409,
  // A money fact that no posting rule of domain/ledger.ts accepts (a negative amount, a completion that does not add
  // up): nothing is posted.
  LEDGER_RULE_VIOLATED: 422,
  // Paying at the venue (domain/desk.ts): a completion whose money does not add up; nothing is stored.
  DESK_OVERPAID: 422,
  BALANCE_DUE: 422,
  TIP_EXCEEDS_PAYMENTS: 422,
  DISCOUNT_EXCEEDS_BALANCE: 422,
  DEPOSITS_EXCEED_PRICE: 409,
  // A completed booking completed again with other money (the same body replays the first answer).
  ALREADY_COMPLETED: 409,
  // A refund above what the booking paid minus what was refunded or is being refunded: nothing is stored.
  REFUND_EXCEEDS_REFUNDABLE: 422,
  // Payment is needed but this server has no Stripe key, or the business's Stripe account cannot take charges yet.
  PAYMENTS_NOT_READY: 409,
  // A commission rule that cannot apply (a percent above 100, a negative fixed amount): nothing is stored.
  COMMISSION_RULE_INVALID: 422,
  // Paying a staff member more than their commission and tips owed: nothing is stored or posted.
  STAFF_OVERPAID: 422,
  INTERNAL: 500,
};

export interface ValidationIssue {
  path: (string | number)[];
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
    this.name = "AppError";
  }
  get status() {
    return STATUS_BY_CODE[this.code];
  }
}

export class ValidationFailed extends AppError {
  constructor(message: string, issues?: ValidationIssue[]) {
    super("VALIDATION_FAILED", message, issues);
  }
}

export class NotFound extends AppError {
  constructor(what: string) {
    super("NOT_FOUND", `${what} not found`);
  }
}

export class Unauthenticated extends AppError {
  constructor(message = "A valid API key is required") {
    super("UNAUTHENTICATED", message);
  }
}

/** The e-mail address or the password is wrong: one answer for both, so the address's existence is not revealed. */
export class InvalidCredentials extends AppError {
  constructor() {
    super("INVALID_CREDENTIALS", "The e-mail address or the password is wrong");
  }
}

/** Authenticated, but the role may not do this (issue 12's role table, domain/permissions.ts). */
export class Forbidden extends AppError {
  constructor(message = "Your role does not allow this") {
    super("FORBIDDEN", message);
  }
}

export class SlotUnavailable extends AppError {
  constructor(message = "That time is no longer available") {
    super("SLOT_UNAVAILABLE", message);
  }
}

/** A per-tenant limit (domain/limits.ts) would be exceeded: the write is refused and nothing is stored. */
export class LimitReached extends AppError {
  constructor(message: string) {
    super("LIMIT_REACHED", message);
  }
}

/** The service asks for payment up front and the business's Stripe account cannot take charges yet. */
export class PaymentsNotReady extends AppError {
  constructor(
    message = "This business is not taking online payments yet, so this service cannot be booked online; please contact the business to book",
  ) {
    super("PAYMENTS_NOT_READY", message);
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super("CONFLICT", message);
  }
}

/** Database errors translated once, here (invariant 1: 23P01 from the exclusion constraint is a taken slot). */
export function translateDbError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const pgErr = postgresErrorOf(err);
  if (!pgErr) return err;
  const code = pgErr.code;
  const constraint = String(pgErr.constraint ?? "");
  if (code === "23P01") return new SlotUnavailable();
  // migrations/0011 check_open_holds(): the hold would exceed the tenant's open-hold limits; nothing was written.
  if (code === "BKH01")
    return new AppError(
      "TOO_MANY_HOLDS",
      "This e-mail address has too many unpaid holds; pay for one or wait until it lapses",
    );
  if (code === "BKH02")
    return new AppError(
      "TOO_MANY_HOLDS",
      "Too many unpaid holds from this address; pay for one or wait until it lapses",
    );
  // BKI01 (migrations/0014 to_booking_input(): the worker sent a booking_input its type does not declare) is a bug
  // in our code, never the client's: it stays untranslated, a 500.
  if (code === "23505") return new Conflict(constraintMessage(constraint));
  if (code === "23503") return new ValidationFailed("A referenced object does not exist");
  if (code === "22021" || code === "22P05")
    return new ValidationFailed("The request contains characters that cannot be stored");
  if (code === "23514" || code === "22P02" || code === "22007" || code === "22008" || code === "22003")
    return new ValidationFailed(`Invalid value${constraint ? ` (${constraint})` : ""}`);
  return err;
}

function constraintMessage(constraint: string): string {
  if (constraint.includes("slug")) return "That slug is already taken";
  if (constraint.includes("email")) return "That e-mail address is already registered";
  return "A conflicting object already exists";
}

/** drizzle wraps driver errors (DrizzleQueryError.cause); the SQLSTATE lives on the innermost one. */
export function postgresErrorOf(err: unknown): { code: string; constraint?: unknown } | null {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return e as { code: string; constraint?: unknown };
  }
  return null;
}

/** The exclusion constraint refused the time: someone else holds it (invariant 1). */
export function isSlotConflict(err: unknown): boolean {
  return postgresErrorOf(err)?.code === "23P01";
}
