// Staff invitations: an owner or manager invites an e-mail address with a role (staff: their staff record); the
// invitee accepts from the e-mailed link with a name and password, becomes a member and is signed in.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { authTokens, memberships, staff, users } from "../../db/schema/index.ts";
import { mayGrantRole, type Role } from "../../domain/permissions.ts";
import { AppError, Conflict, Forbidden, InvalidCredentials, NotFound, ValidationFailed } from "../../errors.ts";
import { checkPassword, hashPassword, sha256Hex } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import type { Invitation, InvitationAcceptance, InvitationCreate, InvitationList } from "../../schemas/auth.ts";
import type { ServiceConfig, TenantCtx } from "../context.ts";
import { type SignedIn, startSession } from "./sessions.ts";
import { claimAuthToken, issueAuthToken } from "./tokens.ts";

type TokenRow = typeof authTokens.$inferSelect;

function toInvitation(row: TokenRow, now: Date): Invitation {
  const status = row.usedAt ? "accepted" : row.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
  return {
    id: row.id,
    email: row.email,
    role: row.role ?? "staff",
    staffId: row.staffId,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    status,
  };
}

/** Only an owner (or an API key) deals in owner invitations. */
function assertMayGrant(ctx: TenantCtx, role: Role): void {
  if (ctx.actor && !mayGrantRole(ctx.actor.role, role))
    throw new Forbidden("Only an owner can invite or withdraw an owner");
}

/** The business's invitations, newest first (the 100 latest). */
export async function listInvitations({ ctx }: { ctx: TenantCtx }): Promise<InvitationList> {
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const rows = await tx
      .select()
      .from(authTokens)
      .where(eq(authTokens.kind, "invitation"))
      .orderBy(desc(authTokens.createdAt), desc(authTokens.id))
      .limit(100);
    return { data: rows.map((r) => toInvitation(r, ctx.now)) };
  });
}

export async function createInvitation({
  ctx,
  input,
}: {
  ctx: TenantCtx;
  input: InvitationCreate;
}): Promise<Invitation> {
  assertMayGrant(ctx, input.role);
  return ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    if (input.staffId) {
      const [member] = await tx
        .select({ id: staff.id, linked: memberships.userId })
        .from(staff)
        .leftJoin(memberships, eq(memberships.staffId, staff.id))
        .where(and(eq(staff.id, input.staffId), isNull(staff.deletedAt)));
      if (!member) throw new NotFound("Staff member");
      if (member.linked) throw new Conflict("That staff member already has a sign-in");
    }
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .innerJoin(memberships, eq(memberships.userId, users.id))
      .where(sql`lower(${users.email}) = lower(${input.email})`);
    if (existing) throw new Conflict("That e-mail address is already a member of this business");
    const issued = await issueAuthToken(tx, {
      config: ctx.config,
      tenantId: ctx.tenantId,
      kind: "invitation",
      email: input.email,
      role: input.role,
      staffId: input.staffId ?? null,
      now: ctx.now,
    });
    return {
      id: issued.id,
      email: input.email,
      role: input.role,
      staffId: input.staffId ?? null,
      createdAt: issued.createdAt.toISOString(),
      expiresAt: issued.expiresAt.toISOString(),
      status: "pending",
    };
  });
}

/** Withdraws an invitation (its link stops working); accepted ones stay as a record. */
export async function revokeInvitation({ ctx, id }: { ctx: TenantCtx; id: string }): Promise<void> {
  await ctx.db.withTenantTx(ctx.tenantId, async (tx) => {
    const [row] = await tx
      .select()
      .from(authTokens)
      .where(and(eq(authTokens.id, id), eq(authTokens.kind, "invitation")))
      .for("update");
    if (!row) throw new NotFound("Invitation");
    assertMayGrant(ctx, row.role ?? "staff");
    if (row.usedAt) throw new Conflict("The invitation was already accepted");
    await tx.delete(authTokens).where(eq(authTokens.id, id));
  });
}

/**
 * Accepts an invitation: a new user with this name and password, or (an address that already has an account
 * elsewhere) the existing user, who proves it with their password. Becomes a member with the invited role and is
 * signed in. The link works once.
 */
export async function acceptInvitation({
  db,
  config,
  now,
  token,
  input,
}: {
  db: Database;
  config: ServiceConfig;
  now: Date;
  token: string;
  input: InvitationAcceptance;
}): Promise<SignedIn> {
  const tenantId = /^[0-9a-f]{64}$/.test(token) ? await db.authTokenTenant(await sha256Hex(token)) : null;
  if (!tenantId)
    throw new AppError("NOT_FOUND", "This link is invalid, has expired or was already used; ask for a new one");
  const newHash = await hashPassword(input.password, config.passwordPeppers);
  return db.withTenantTx(tenantId, async (tx) => {
    const invitation = await claimAuthToken(tx, "invitation", token, now);
    const found = (await tx.execute(
      sql`SELECT user_id, password_hash, tenant_id FROM sign_in_candidates(${invitation.email})`,
    )) as unknown as { rows: { user_id: string; password_hash: string; tenant_id: string | null }[] };
    const existing = found.rows[0];
    let userId: string;
    if (existing) {
      if (!(await checkPassword(input.password, existing.password_hash, config.passwordPeppers)).ok)
        throw new InvalidCredentials();
      if (found.rows.some((r) => r.tenant_id === tenantId))
        throw new Conflict("You are already a member of this business");
      userId = existing.user_id;
    } else {
      if (input.password.length < 10)
        throw new ValidationFailed("The password is too short", [
          { path: ["password"], message: "At least 10 characters" },
        ]);
      userId = newId("usr");
      await tx.insert(users).values({ id: userId, email: invitation.email, name: input.name, passwordHash: newHash });
    }
    await tx.insert(memberships).values({
      tenantId,
      userId,
      role: invitation.role ?? "staff",
      staffId: invitation.staffId,
      createdAt: now,
    });
    return startSession(tx, tenantId, userId, now);
  });
}
