// The optional Idempotency-Key header on creating and moving POSTs (API.md conventions).
import { z } from "@hono/zod-openapi";

export const IdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, "Printable ASCII without spaces")
    .optional()
    .openapi({ description: "Replays the first response for 24 h" }),
});

/** Shortest public key: 22 characters of base64url carry 132 bits, as much as a UUID's 122 random ones. */
const PUBLIC_KEY_MIN_LENGTH = 22;

/**
 * Public routes need no secret, so whoever repeats a key and body gets the first response back, manage token
 * included: a public key must be as unguessable as a UUID (a UUID matches the same pattern).
 */
export const PublicIdempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .regex(
      new RegExp(`^[A-Za-z0-9_-]{${PUBLIC_KEY_MIN_LENGTH},255}$`),
      `A UUID or at least ${PUBLIC_KEY_MIN_LENGTH} characters of A–Z, a–z, 0–9, "_" and "-": public keys must be unguessable`,
    )
    .optional()
    .openapi({
      description: `Replays the first response for 24 h. Must be unguessable: a UUID (\`crypto.randomUUID()\`) or ${PUBLIC_KEY_MIN_LENGTH} to 255 characters of \`[A-Za-z0-9_-]\`; anything else is a 400 VALIDATION_FAILED`,
      example: "9b2f7c1e-4d3a-4f5e-8a6b-0c1d2e3f4a5b",
    }),
});
