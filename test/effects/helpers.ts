// Shared by the side-effect suites: book through the app, read the outbox rows it wrote, run one handler the way the
// consumer does (inside the event's tenant transaction, with the local providers) and read what was recorded.
import { expect } from "vitest";
import type { EffectHandler, OutboxEvent } from "../../worker/src/outbox/types.ts";
import { createProviders, type Providers } from "../../worker/src/providers/index.ts";
import type { ServiceConfig } from "../../worker/src/services/context.ts";
import type { TestApp } from "../helpers/app.ts";
import { customer, type Salon } from "../helpers/salon.ts";

/** The same configuration useTestApp gives the app, so manage tokens agree. */
export const CONFIG: ServiceConfig = {
  manageTokenSecret: "test-manage-token-secret-0123456789abcdef",
  publicBaseUrl: "http://bookra.test",
};

export interface Recorded {
  kind: "email" | "whatsapp" | "calendar";
  idempotency_key: string;
  recipient: string;
  subject: string | null;
  body: string;
  attachments: { filename?: string; contentType?: string; content?: string; eventId?: string; startsAt?: string }[];
  calendar_op: string | null;
}

export function effects(t: TestApp) {
  let providers: Providers | undefined;
  const local = () => (providers ??= createProviders({ BOOKRA_ENV: "local" }, t.database.db));

  return {
    async book(
      s: Salon,
      start: string,
      extra: { phone?: string; name?: string; staffId?: string; whatsappOptIn?: boolean } = {},
    ) {
      const res = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
        body: {
          serviceId: s.serviceId,
          staffId: extra.staffId ?? s.staffIds[0],
          start,
          customer: {
            ...customer(Math.random().toString(36).slice(2, 8)),
            ...(extra.name && { name: extra.name }),
            ...(extra.phone && { phone: extra.phone }),
            ...(extra.whatsappOptIn !== undefined && { whatsappOptIn: extra.whatsappOptIn }),
          },
        },
      });
      expect(res.status).toBe(201);
      return {
        id: res.body.booking.id as string,
        manageToken: res.body.manageToken as string,
        status: res.body.booking.status as string,
      };
    },

    async events(bookingId: string): Promise<OutboxEvent[]> {
      const rows = await t.database.admin(
        "SELECT id, tenant_id, event_type, aggregate_id, payload, created_at FROM outbox WHERE aggregate_id = $1 ORDER BY created_at, id",
        [bookingId],
      );
      return rows.map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        type: r.event_type,
        aggregateId: r.aggregate_id,
        payload: r.payload,
        createdAt: r.created_at,
      }));
    },

    async lastEvent(bookingId: string, type: string): Promise<OutboxEvent> {
      const found = (await this.events(bookingId)).filter((e) => e.type === type).at(-1);
      if (!found) throw new Error(`no ${type} event for ${bookingId}`);
      return found;
    },

    run(handler: EffectHandler<Providers>, event: OutboxEvent, providers?: Providers) {
      return t.database.db.withTenantTx(event.tenantId, (tx) =>
        handler.run({ tx, event, providers: providers ?? local(), config: CONFIG, now: t.clock.now }),
      );
    },

    async recorded(tenantId: string, kind?: Recorded["kind"]): Promise<Recorded[]> {
      return (await t.database.admin(
        `SELECT kind, idempotency_key, recipient, subject, body, attachments, calendar_op FROM dev_outbox_messages
         WHERE tenant_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY id`,
        [tenantId, kind ?? null],
      )) as Recorded[];
    },
  };
}
