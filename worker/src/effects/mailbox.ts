// The local dev mailbox: what the local adapters recorded, newest first, across tenants, read through the
// dev_mailbox() SECURITY DEFINER function (never by bypassing row-level security in app code), plus the tenant
// webhook deliveries (dev_webhook_deliveries()).
import type { Database } from "../db/client.ts";

export interface MailboxEntry {
  id: number;
  tenantSlug: string;
  kind: "email" | "whatsapp" | "calendar";
  idempotencyKey: string;
  recipient: string;
  subject: string | null;
  body: string;
  attachments: { filename?: string; contentType?: string; content?: string; eventId?: string }[];
  calendarOp: "upsert" | "delete" | null;
  createdAt: Date;
}

export interface WebhookDeliveryEntry {
  id: number;
  tenantSlug: string;
  url: string;
  eventType: string;
  attempt: number;
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  createdAt: Date;
}

export interface DevMailbox {
  messages: MailboxEntry[];
  webhookDeliveries: WebhookDeliveryEntry[];
}

export async function readDevMailbox(db: Database, limit = 200): Promise<DevMailbox> {
  const r = await db.pool.query("SELECT * FROM dev_mailbox($1)", [limit]);
  const messages = r.rows.map(
    (row): MailboxEntry => ({
      id: Number(row.id),
      tenantSlug: row.tenant_slug,
      kind: row.kind,
      idempotencyKey: row.idempotency_key,
      recipient: row.recipient,
      subject: row.subject,
      body: row.body,
      attachments: Array.isArray(row.attachments) ? row.attachments : [],
      calendarOp: row.calendar_op,
      createdAt: new Date(row.created_at),
    }),
  );
  const d = await db.pool.query("SELECT * FROM dev_webhook_deliveries($1)", [limit]);
  const webhookDeliveries = d.rows.map(
    (row): WebhookDeliveryEntry => ({
      id: Number(row.id),
      tenantSlug: row.tenant_slug,
      url: row.url,
      eventType: row.event_type,
      attempt: row.attempt,
      succeeded: row.succeeded,
      statusCode: row.status_code,
      error: row.error,
      createdAt: new Date(row.created_at),
    }),
  );
  return { messages, webhookDeliveries };
}
