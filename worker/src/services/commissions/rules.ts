// Commission rules (issue 14 item 1): a staff member's list, replaced whole by PUT, and the rule in force for one
// appointment, read in the caller's transaction (domain/commissions.ts picks it). Posted commissions are journal
// lines and never change: a new list applies to completions and fees from then on, by each appointment's date.
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { commissionRules, services, staff, tenants } from "../../db/schema/index.ts";
import {
  type CommissionTerms,
  checkRule,
  InvalidCommissionRule,
  type CommissionRule as Rule,
  ruleInForce,
} from "../../domain/commissions.ts";
import { instantToZonedDate } from "../../domain/time.ts";
import { NotFound, ValidationFailed } from "../../errors.ts";
import { newId } from "../../lib/ids.ts";
import type { CommissionRuleList, CommissionRulesPut } from "../../schemas/commissions.ts";
import type { TenantCtx } from "../context.ts";

type RuleRow = typeof commissionRules.$inferSelect;

const toDomain = (r: RuleRow): Rule =>
  r.kind === "fixed"
    ? { kind: "fixed", amount: Number(r.amount ?? 0), serviceId: r.serviceId, effectiveFrom: r.effectiveFrom }
    : { kind: "percent", rateBps: r.rateBps ?? 0, serviceId: r.serviceId, effectiveFrom: r.effectiveFrom };

async function staffRow(tx: Tx, id: string) {
  const [row] = await tx
    .select({ id: staff.id, commissionBps: staff.commissionBps })
    .from(staff)
    .where(and(eq(staff.id, id), isNull(staff.deletedAt)));
  if (!row) throw new NotFound("Staff member");
  return row;
}

async function listIn(tx: Tx, tenantId: string, staffId: string): Promise<CommissionRuleList> {
  const member = await staffRow(tx, staffId);
  const [tenant] = await tx.select({ currency: tenants.currency }).from(tenants).where(eq(tenants.id, tenantId));
  const rows = await tx
    .select()
    .from(commissionRules)
    .where(eq(commissionRules.staffId, staffId))
    .orderBy(
      asc(commissionRules.effectiveFrom),
      sql`${commissionRules.serviceId} NULLS FIRST`,
      asc(commissionRules.createdAt),
      asc(commissionRules.id),
    );
  return {
    staffId,
    currency: tenant?.currency.trim() ?? "",
    defaultRateBps: member.commissionBps,
    rules: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      rateBps: r.kind === "percent" ? r.rateBps : null,
      amount: r.kind === "fixed" ? Number(r.amount) : null,
      serviceId: r.serviceId,
      effectiveFrom: r.effectiveFrom,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

/** A staff member's commission rules; another business's staff id is 404. */
export async function listCommissionRules({ ctx, staffId }: { ctx: TenantCtx; staffId: string }) {
  return ctx.db.withTenantTx(ctx.tenantId, (tx) => listIn(tx, ctx.tenantId, staffId));
}

/**
 * Replaces a staff member's rules with `input.rules`. 422 COMMISSION_RULE_INVALID for a percent above 100 % or a
 * negative amount; 400 for an unknown service or two rules with the same service and date. Nothing is stored then.
 */
export async function putCommissionRules({
  ctx,
  staffId,
  input,
}: {
  ctx: TenantCtx;
  staffId: string;
  input: CommissionRulesPut;
}): Promise<CommissionRuleList> {
  const rules: Rule[] = input.rules.map((r) =>
    r.kind === "fixed"
      ? { kind: "fixed", amount: r.amount, serviceId: r.serviceId ?? null, effectiveFrom: r.effectiveFrom }
      : { kind: "percent", rateBps: r.rateBps, serviceId: r.serviceId ?? null, effectiveFrom: r.effectiveFrom },
  );
  rules.forEach((r, i) => {
    try {
      checkRule(r);
    } catch (e) {
      if (!(e instanceof InvalidCommissionRule)) throw e;
      const field = r.kind === "fixed" ? "amount" : "rateBps";
      throw new InvalidCommissionRule(e.message, [{ path: ["rules", i, field], message: e.message }]);
    }
  });
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    const key = `${r.serviceId ?? ""}|${r.effectiveFrom}`;
    if (seen.has(key))
      throw new ValidationFailed("Two rules for the same service start on the same date", [
        { path: ["rules", i, "effectiveFrom"], message: "Duplicate of an earlier rule" },
      ]);
    seen.add(key);
  });
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    await tx.select({ id: staff.id }).from(staff).where(eq(staff.id, staffId)).for("update");
    await staffRow(tx, staffId);
    const serviceIds = [...new Set(rules.flatMap((r) => (r.serviceId ? [r.serviceId] : [])))];
    if (serviceIds.length > 0) {
      const known = new Set(
        (
          await tx
            .select({ id: services.id })
            .from(services)
            .where(and(inArray(services.id, serviceIds), isNull(services.deletedAt)))
        ).map((s) => s.id),
      );
      const i = rules.findIndex((r) => r.serviceId !== null && !known.has(r.serviceId));
      if (i >= 0)
        throw new ValidationFailed("Unknown service", [
          { path: ["rules", i, "serviceId"], message: "Unknown service" },
        ]);
    }
    await tx.delete(commissionRules).where(eq(commissionRules.staffId, staffId));
    if (rules.length > 0)
      await tx.insert(commissionRules).values(
        rules.map((r) => ({
          id: newId("cmr"),
          tenantId: ctx.tenantId,
          staffId,
          serviceId: r.serviceId,
          kind: r.kind,
          rateBps: r.kind === "percent" ? r.rateBps : null,
          amount: r.kind === "fixed" ? r.amount : null,
          effectiveFrom: r.effectiveFrom,
          createdAt: ctx.now,
        })),
      );
    return listIn(tx, ctx.tenantId, staffId);
  });
}

/**
 * The terms in force for an appointment of `serviceId` by `staffId` starting at `startsAt` (its local date in the
 * tenant's zone), in the caller's transaction: the rule domain/commissions.ts picks, else the staff member's
 * `commissionBps` as a percent (no rule yet: the rate of before issue 14).
 */
export async function commissionTermsFor(
  tx: Tx,
  a: { tenantId: string; staffId: string; serviceId: string; startsAt: Date },
): Promise<CommissionTerms> {
  const [tenant] = await tx.select({ timezone: tenants.timezone }).from(tenants).where(eq(tenants.id, a.tenantId));
  const localDate = instantToZonedDate(a.startsAt.getTime(), tenant?.timezone ?? "UTC");
  const rows = await tx
    .select()
    .from(commissionRules)
    .where(and(eq(commissionRules.staffId, a.staffId), sql`${commissionRules.effectiveFrom} <= ${localDate}::date`));
  const rule = ruleInForce(rows.map(toDomain), a.serviceId, localDate);
  if (rule) return rule.kind === "fixed" ? { kind: "fixed", amount: rule.amount } : rule;
  const [member] = await tx.select({ bps: staff.commissionBps }).from(staff).where(eq(staff.id, a.staffId));
  return { kind: "percent", rateBps: member?.bps ?? 0 };
}
