// The staff↔services relation (staff_services), one table seen from both sides: validating ids, reading, replacing.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { services, staff, staffServices } from "../../db/schema/index.ts";
import { ValidationFailed } from "../../errors.ts";
import { looksLikeId } from "../../lib/ids.ts";

export type Side = "staff" | "service";

const sides = {
  staff: {
    own: staffServices.staffId,
    other: staffServices.serviceId,
    otherTable: services,
    prefix: "svc",
    field: "serviceIds",
    noun: "service",
  },
  service: {
    own: staffServices.serviceId,
    other: staffServices.staffId,
    otherTable: staff,
    prefix: "stf",
    field: "staffIds",
    noun: "staff member",
  },
} as const;

/**
 * Checks that every id names a live object of this tenant (RLS hides the others, so they read as unknown) and
 * share-locks them so that a concurrent delete cannot leave a link to a deleted object.
 */
export async function assertLinkable(tx: Tx, side: Side, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const { otherTable, prefix, field, noun } = sides[side];
  const wellFormed = ids.filter((id) => looksLikeId(prefix, id)); // the rest cannot exist and never reach SQL
  const found = wellFormed.length
    ? await tx
        .select({ id: otherTable.id })
        .from(otherTable)
        .where(and(inArray(otherTable.id, wellFormed), isNull(otherTable.deletedAt)))
        .for("share")
    : [];
  const live = new Set(found.map((r) => r.id));
  const index = ids.findIndex((id) => !live.has(id));
  if (index >= 0)
    throw new ValidationFailed(`Unknown ${noun} id: ${ids[index]}`, [
      { path: [field, index], message: `Unknown ${noun} id` },
    ]);
}

/** The live objects linked to each of `ids`, in the other side's list order. */
export async function linkedIds(tx: Tx, side: Side, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const { own, other, otherTable } = sides[side];
  const rows = await tx
    .select({ own, other })
    .from(staffServices)
    .innerJoin(otherTable, and(eq(otherTable.id, other), isNull(otherTable.deletedAt)))
    .where(inArray(own, ids))
    .orderBy(asc(otherTable.createdAt), asc(otherTable.id));
  for (const r of rows) out.get(r.own)?.push(r.other);
  return out;
}

/** Replaces all links of one object; the ids must have passed assertLinkable in the same transaction. */
export async function replaceLinks(
  tx: Tx,
  tenantId: string,
  side: Side,
  id: string,
  otherIds: string[],
): Promise<void> {
  await dropLinks(tx, side, id);
  if (otherIds.length === 0) return;
  await tx
    .insert(staffServices)
    .values(
      otherIds.map((otherId) =>
        side === "staff"
          ? { tenantId, staffId: id, serviceId: otherId }
          : { tenantId, staffId: otherId, serviceId: id },
      ),
    );
}

export async function dropLinks(tx: Tx, side: Side, id: string): Promise<void> {
  await tx.delete(staffServices).where(eq(sides[side].own, id));
}
