// The queue message: only ids. The consumer reads the row inside the tenant's transaction, so nothing stale travels.
export interface OutboxMessage {
  outboxId: string;
  tenantId: string;
}

export function isOutboxMessage(value: unknown): value is OutboxMessage {
  const v = value as Partial<OutboxMessage> | null;
  return typeof v?.outboxId === "string" && typeof v?.tenantId === "string";
}
