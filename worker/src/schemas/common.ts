// Shared zod building blocks for the HTTP contract (API.md conventions); the OpenAPI document is generated from them.
import { z } from "@hono/zod-openapi";
import { isValidTimeZone, parseHHMM } from "../domain/time.ts";

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf("currency"));

/**
 * The shape of an IANA time zone name ("Europe/London", "America/Argentina/Buenos_Aires", "UTC", "Etc/GMT+5"); the
 * server also refuses a well-shaped name the runtime's time zone database does not know.
 */
const TIME_ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .regex(TIME_ZONE_SHAPE, "Expected an IANA time zone name such as Europe/London")
  .refine(isValidTimeZone, { message: "Unknown IANA time zone" })
  .openapi({
    example: "Europe/London",
    description:
      "IANA time zone name (tz database), such as `Europe/London` or `UTC`; offsets such as `+01:00` and names the " +
      "tz database does not know are refused with 400",
  });

export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "ISO 4217 code in upper case")
  .refine((c) => CURRENCIES.has(c), { message: "Unknown ISO 4217 currency" })
  .openapi({ example: "EUR" });

export const Money = z
  .object({
    amount: z.number().int().min(0).max(100_000_000_00),
    currency: Currency,
  })
  .openapi("Money", { description: "Integer minor units plus ISO 4217 currency" });
export type Money = z.infer<typeof Money>;

/** Wall-clock "HH:MM" 00:00–23:59; interval ends may also be "24:00". */
export const WallTime = z
  .string()
  .regex(/^\d{2}:\d{2}$/, "Expected HH:MM")
  .refine((v) => parseHHMM(v) !== null, { message: "Not a valid time of day" })
  .openapi({ example: "09:00" });
export const WallTimeEnd = z
  .string()
  .regex(/^\d{2}:\d{2}$/, "Expected HH:MM")
  .refine((v) => parseHHMM(v, { allowEndOfDay: true }) !== null, { message: "Not a valid time of day" })
  .openapi({ example: "17:00" });

export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Expected YYYY-MM-DD")
  .refine(
    (v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
    },
    { message: "Not a calendar date" },
  )
  .openapi({ example: "2027-03-01" });

/** An instant as ISO 8601 UTC with Z (API.md). */
export const Instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/, "Expected an ISO 8601 UTC instant ending in Z")
  .refine(
    (v) => {
      // Date.parse would roll 2027-02-30 over to March; a real instant round-trips. Postgres has no year 0.
      const d = new Date(v);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 16) === v.slice(0, 16) && v >= "1970";
    },
    { message: "Not a valid calendar instant (from 1970 on)" },
  )
  .openapi({ format: "date-time", example: "2027-03-01T09:00:00Z" });

export const Interval = z
  .object({ start: WallTime, end: WallTimeEnd })
  .refine((i) => (parseHHMM(i.start) ?? 0) < (parseHHMM(i.end, { allowEndOfDay: true }) ?? 0), {
    message: "start must be before end",
  })
  .openapi("LocalInterval");

/** Text Postgres can store: no NUL characters. */
export const Name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((v) => !v.includes("\u0000"), { message: "NUL characters are not allowed" });
/**
 * An e-mail address as the server accepts it: zod's address check (a dotted domain with a top-level name of two or
 * more letters, so `0@com` is refused), published as the same pattern next to `format: email`.
 */
const EMAIL_PATTERN = z.regexes.email;
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .email({ pattern: EMAIL_PATTERN })
  .openapi({ format: "email", pattern: EMAIL_PATTERN.source, example: "ana@example.com" });

/** `X | null` published as `anyOf: [X, {type: null}]` (zod's `.nullable()` on a named schema publishes an `allOf` no null matches). */
export const nullable = <T extends z.ZodType>(schema: T) => z.union([schema, z.null()]);

/** An opaque page cursor: the `nextCursor` of the previous page, never empty. */
export const Cursor = z
  .string()
  .min(1)
  .max(200)
  .openapi({ description: "The `nextCursor` of the previous page (opaque); omit it for the first page" });

export const Pagination = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ example: 50 }),
  cursor: Cursor.optional(),
});

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "VALIDATION_FAILED" }),
      message: z.string(),
      requestId: z.string(),
      issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
    }),
  })
  .openapi("Error");

export const IdParam = (name: string, prefix: string) =>
  z.object({
    [name]: z
      .string()
      .max(64)
      .openapi({ param: { name, in: "path" }, example: `${prefix}_…` }),
  });

const ERROR_DESCRIPTIONS = {
  400: "VALIDATION_FAILED: the path, query, headers or body are malformed or break a rule (`issues` names them)",
  401: "UNAUTHENTICATED: no valid API key or session (INVALID_CREDENTIALS: a wrong e-mail address or password)",
  403: "FORBIDDEN: the signed-in role may not do this, or a cookie-authenticated change came from another origin",
  404: "NOT_FOUND",
  409: "CONFLICT, SLOT_UNAVAILABLE, TOO_MANY_HOLDS or RESCHEDULE_LIMIT_REACHED",
  413: "PAYLOAD_TOO_LARGE: the request body is over the limit (64 KiB)",
  422: "IDEMPOTENCY_KEY_REUSED",
  429: "RATE_LIMITED: too many requests; retry after `Retry-After` seconds",
  500: "INTERNAL: a bug on our side, logged under the `requestId`",
} as const;
type ErrorStatus = Exclude<keyof typeof ERROR_DESCRIPTIONS, 400 | 500>;

const errorResponse = (status: keyof typeof ERROR_DESCRIPTIONS) => ({
  description: ERROR_DESCRIPTIONS[status],
  content: { "application/json": { schema: ErrorResponse } },
  ...(status === 429 && {
    headers: {
      "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer" as const } },
    },
  }),
});

/**
 * The error responses of an operation, for the OpenAPI document: the given statuses plus the two every operation may
 * give, 400 (any request can be malformed: a NUL in the URL, a bad header) and 500 (a bug).
 */
export function errorResponses(...statuses: ErrorStatus[]) {
  return Object.fromEntries(([400, ...statuses, 500] as const).map((s) => [s, errorResponse(s)] as const)) as Record<
    400 | ErrorStatus | 500,
    ReturnType<typeof errorResponse>
  >;
}

/** The 422 of a write that adds to a per-tenant limit (domain/limits.ts), named in `limit`. */
export function limitReachedResponse(limit: string) {
  return {
    422: {
      description: `LIMIT_REACHED: ${limit}; or IDEMPOTENCY_KEY_REUSED where an Idempotency-Key is sent`,
      content: { "application/json": { schema: ErrorResponse } },
    },
  };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { body: { required: true, content: { "application/json": { schema } } } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}
