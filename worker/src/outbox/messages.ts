// The queue message: only ids. The consumer reads the row inside the tenant's transaction, so nothing stale travels.
import type { OutboxRef } from "../db/client.ts";

export type OutboxMessage = OutboxRef;

export function isOutboxMessage(value: unknown): value is OutboxMessage {
  const v = value as Partial<OutboxMessage> | null;
  return typeof v?.outboxId === "string" && typeof v?.tenantId === "string";
}
