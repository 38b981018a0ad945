// Per-tenant channel settings beyond e-mail (WhatsApp), kept in tenant_channels.
import { eq } from "drizzle-orm";
import { tenantChannels } from "../db/schema/index.ts";
import type { Channels } from "../schemas/effects.ts";
import type { TenantCtx } from "../services/context.ts";

export async function getChannels({ ctx }: { ctx: TenantCtx }): Promise<Channels> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [row] = await tx.select().from(tenantChannels).where(eq(tenantChannels.tenantId, ctx.tenantId));
    return { whatsapp: row?.whatsapp ?? false };
  });
}

export async function setChannels({ ctx, input }: { ctx: TenantCtx; input: Channels }): Promise<Channels> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [row] = await tx
      .insert(tenantChannels)
      .values({ tenantId: ctx.tenantId, whatsapp: input.whatsapp, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: tenantChannels.tenantId, set: { whatsapp: input.whatsapp, updatedAt: ctx.now } })
      .returning();
    return { whatsapp: row!.whatsapp };
  });
}
