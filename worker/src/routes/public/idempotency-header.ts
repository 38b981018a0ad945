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
