// Local adapters: record what would have been sent in dev_outbox_messages (the dev mailbox) instead of calling a
// third party. The unique (tenant, kind, idempotency key) makes them idempotent like the real providers, and they
// write outside the handler's transaction, as a real provider would (the outbox consumer gives them their own pool).
// Failure injection (LOCAL_PROVIDER_FAILURE_RATE, LOCAL_PROVIDERS_DOWN) lets resilience tests break them on purpose.
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { grouped } from "../lib/grouped.ts";
import { headerValue } from "../lib/header-value.ts";
import {
  type CalendarProvider,
  type EmailProvider,
  ProviderError,
  type ProviderKind,
  type WhatsAppProvider,
} from "./types.ts";

export const LOCAL_SENDER = "bookings@bookra.local";

export interface FailureInjection {
  /** 0..1: each call throws with this probability. */
  failureRate: number;
  /** Kinds that always throw. */
  down: ReadonlySet<ProviderKind>;
  random?: () => number;
}

const NO_FAILURES: FailureInjection = { failureRate: 0, down: new Set() };

const KINDS: readonly ProviderKind[] = ["email", "whatsapp", "calendar"];

/** Reads the two env settings; a malformed value is a configuration error, not silently "no failures". */
export function parseFailureInjection(env: {
  LOCAL_PROVIDER_FAILURE_RATE?: string;
  LOCAL_PROVIDERS_DOWN?: string;
}): FailureInjection {
  const rateText = env.LOCAL_PROVIDER_FAILURE_RATE?.trim() ?? "";
  const failureRate = rateText === "" ? 0 : Number(rateText);
  if (!Number.isFinite(failureRate) || failureRate < 0 || failureRate > 1)
    throw new Error("LOCAL_PROVIDER_FAILURE_RATE must be a number from 0 to 1");
  const down = new Set<ProviderKind>();
  for (const raw of (env.LOCAL_PROVIDERS_DOWN ?? "").split(",")) {
    const name = raw.trim().toLowerCase();
    if (name === "") continue;
    if (name === "all") for (const k of KINDS) down.add(k);
    else if ((KINDS as readonly string[]).includes(name)) down.add(name as ProviderKind);
    else throw new Error(`LOCAL_PROVIDERS_DOWN: unknown provider "${name}" (use email, whatsapp, calendar or all)`);
  }
  return { failureRate, down };
}

interface Recorded {
  tenantId: string;
  kind: ProviderKind;
  idempotencyKey: string;
  recipient: string;
  subject?: string | null;
  body: string;
  attachments?: unknown[];
  calendarOp?: "upsert" | "delete";
}

/**
 * The dev-mailbox writer. Writes made while the tenant's previous one is in flight go together in the next INSERT
 * (group commit, lib/grouped.ts): one transaction and one round trip (BEGIN, the insert and COMMIT together) for
 * many sends, on the adapters' own connections. Each send still resolves only once its row is committed.
 */
function recorder(db: Database, failures: FailureInjection) {
  const random = failures.random ?? Math.random;
  const write = grouped(async (tenantId, rows: Recorded[]) => {
    const values = sql.join(
      rows.map(
        (r) => sql`(${tenantId}, ${r.kind}, ${r.idempotencyKey}, ${r.recipient}, ${r.subject ?? null}, ${r.body},
                    ${JSON.stringify(r.attachments ?? [])}::jsonb, ${r.calendarOp ?? null})`,
      ),
      sql`, `,
    );
    await db.withTenantTx(tenantId, (_tx, session) =>
      session.finish(sql`
        INSERT INTO dev_outbox_messages (tenant_id, kind, idempotency_key, recipient, subject, body, attachments, calendar_op)
        VALUES ${values}
        ON CONFLICT (tenant_id, kind, idempotency_key) DO NOTHING`),
    );
    return rows.map(() => undefined);
  });
  return async (r: Recorded): Promise<void> => {
    if (failures.down.has(r.kind))
      throw new ProviderError(r.kind, `local ${r.kind} provider is down (LOCAL_PROVIDERS_DOWN)`);
    if (failures.failureRate > 0 && random() < failures.failureRate)
      throw new ProviderError(r.kind, `local ${r.kind} provider failed (LOCAL_PROVIDER_FAILURE_RATE)`);
    // What a real provider would put in headers is recorded as it would be sent: on one line.
    await write(r.tenantId, {
      ...r,
      recipient: headerValue(r.recipient),
      subject: r.subject && headerValue(r.subject),
    });
  };
}

export function localProviders(db: Database, failures: FailureInjection = NO_FAILURES) {
  const record = recorder(db, failures);
  const email: EmailProvider = {
    adapter: "local",
    senderAddress: LOCAL_SENDER,
    send: (m) =>
      record({
        tenantId: m.tenantId,
        kind: "email",
        idempotencyKey: m.idempotencyKey,
        recipient: m.to,
        subject: m.subject,
        body: m.text,
        attachments: m.attachments ?? [],
      }),
  };
  const whatsapp: WhatsAppProvider = {
    adapter: "local",
    send: (m) =>
      record({
        tenantId: m.tenantId,
        kind: "whatsapp",
        idempotencyKey: m.idempotencyKey,
        recipient: m.to,
        subject: m.template.name,
        body: m.text,
      }),
  };
  const calendar: CalendarProvider = {
    adapter: "local",
    upsertEvent: ({ tenantId, idempotencyKey, connection, event }) =>
      record({
        tenantId,
        kind: "calendar",
        idempotencyKey,
        recipient: `${connection.staffId} (${connection.calendarId})`,
        subject: event.summary,
        body: `${event.startsAt.toISOString()} – ${event.endsAt.toISOString()}\n${event.description}`,
        attachments: [
          { eventId: event.eventId, startsAt: event.startsAt.toISOString(), endsAt: event.endsAt.toISOString() },
        ],
        calendarOp: "upsert",
      }),
    deleteEvent: ({ tenantId, idempotencyKey, connection, eventId }) =>
      record({
        tenantId,
        kind: "calendar",
        idempotencyKey,
        recipient: `${connection.staffId} (${connection.calendarId})`,
        body: `delete ${eventId}`,
        attachments: [{ eventId }],
        calendarOp: "delete",
      }),
  };
  return { email, whatsapp, calendar };
}
