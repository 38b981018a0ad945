// The one input of the booking functions in SQL: book(), book_first_free() and insert_booking() take a
// `booking_input` (migrations/0014), sent as JSON that only this schema builds. Its keys are the composite type's
// fields and its types theirs (test/sql-inputs.test.ts compares both ways); the database's to_booking_input() raises
// BKI01 on an unknown, missing or wrongly null key, so a renamed key fails loudly instead of arriving as NULL.
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";

/** timestamptz: an ISO 8601 instant in UTC. */
const instant = z.iso.datetime();
/** bigint: minor units (a JSON number is exact up to 2^53). */
const bigint = z.int();
/** A jsonb object whose shape is not the database's business. */
const jsonObject = z.record(z.string(), z.unknown());

/** `booking_hold_limits`: the open-hold limits a public deposit hold is checked against (migrations/0011). */
export const SqlHoldLimits = z.strictObject({
  per_email: z.int32(),
  per_address: z.int32(),
  /** A keyed hash of the client address (never the address itself). */
  address_hash: z.string().nullable(),
});

/** `booking_idempotency`: the request's Idempotency-Key and the response it earns. */
export const SqlIdempotency = z.strictObject({
  scope: z.string(),
  key: z.string(),
  request_hash: z.string(),
  body: jsonObject,
});

/** `booking_input`: the customer, the booking row, its booking.created outbox row, the hold limits and the key. */
export const SqlBookingInput = z.strictObject({
  id: z.string(),
  tenant_id: z.string(),
  customer_id: z.string(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  service_id: z.string(),
  staff_id: z.string(),
  status: z.enum(["confirmed", "pending_payment"]),
  starts_at: instant,
  ends_at: instant,
  blocked_from: instant,
  blocked_until: instant,
  price_amount: bigint,
  deposit_amount: bigint,
  currency: z.string(),
  hold_expires_at: instant.nullable(),
  manage_token_hash: z.string(),
  notes: z.string().nullable(),
  source: z.enum(["public", "admin"]),
  whatsapp_opt_in: z.boolean(),
  /** The transaction's clock: created_at, updated_at and the hold limits' "open" compare to it. */
  now: instant,
  event_id: z.string(),
  /** The booking.created outbox payload (the database adds customerId). */
  payload: jsonObject,
  /** Only for a public deposit hold. */
  hold_limits: SqlHoldLimits.nullable(),
  /** Only with an Idempotency-Key. */
  idempotency: SqlIdempotency.nullable(),
});
export type SqlBookingInput = z.infer<typeof SqlBookingInput>;

/** The SQL expression that hands `input` to the booking functions as a `booking_input`. */
export function bookingInputSql(input: SqlBookingInput): SQL {
  return sql`to_booking_input(${JSON.stringify(SqlBookingInput.parse(input))}::jsonb)`;
}
