// The outbox as the dashboard sees it (API.md: GET /v1/admin/outbox, POST /v1/admin/outbox/{id}/retry).
import { z } from "@hono/zod-openapi";
import { Pagination } from "./common.ts";
import { PathId } from "./staff.ts";

export const OutboxStatus = z.enum(["pending", "failed", "dead", "done"]);

export const OutboxItem = z
  .object({
    id: z.string().openapi({ example: "evt_…" }),
    type: z.string().openapi({ example: "booking.created" }),
    aggregateId: z.string(),
    status: OutboxStatus,
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    processedAt: z.string().nullable(),
  })
  .openapi("OutboxItem");
export type OutboxItem = z.infer<typeof OutboxItem>;

export const OutboxList = z
  .object({ data: z.array(OutboxItem), nextCursor: z.string().nullable() })
  .openapi("OutboxList");
export type OutboxList = z.infer<typeof OutboxList>;

export const OutboxListQuery = Pagination.extend({
  status: z
    .enum(["pending", "failed", "dead"])
    .optional()
    .openapi({ description: "Default: every row not yet done (pending, failed and dead)" }),
});
export type OutboxListQuery = z.infer<typeof OutboxListQuery>;

export const OutboxIdParam = z.object({ id: PathId("id", "evt") });
