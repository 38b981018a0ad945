// Password changes: by the signed-in user (knowing the current one) or through an e-mailed reset link. Either way the
// new hash is peppered and the user's other sessions, in every business, are revoked in the same transaction.
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { users } from "../../db/schema/index.ts";
import type { AdminActor } from "../../domain/permissions.ts";
import { AppError, ValidationFailed } from "../../errors.ts";
import { checkPassword, hashPassword, sha256Hex } from "../../lib/crypto.ts";
import type { PasswordChange } from "../../schemas/auth.ts";
import type { ServiceConfig } from "../context.ts";
import { revokeSessionsOf } from "./sessions.ts";
import { claimAuthToken, issueAuthToken } from "./tokens.ts";

export async function changePassword({
  db,
  config,
  now,
  tenantId,
  actor,
  input,
}: {
  db: Database;
  config: ServiceConfig;
  now: Date;
  tenantId: string;
  actor: AdminActor & { kind: "session" };
  input: PasswordChange;
}): Promise<void> {
  const newHash = await hashPassword(input.newPassword, config.passwordPeppers);
  await db.withTenantTx(tenantId, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, actor.userId)).for("update");
    if (!user) throw new AppError("UNAUTHENTICATED", "The session has ended; sign in again");
    if (!(await checkPassword(input.currentPassword, user.passwordHash, config.passwordPeppers)).ok)
      throw new ValidationFailed("The current password is wrong", [
        { path: ["currentPassword"], message: "The current password is wrong" },
      ]);
    await tx.update(users).set({ passwordHash: newHash }).where(eq(users.id, actor.userId));
    await revokeSessionsOf(tx, actor.userId, actor.sessionId, now);
  });
}

/**
 * Sends a reset link to the address if it belongs to a user with a business (the first they joined); answers the
 * same either way, so the endpoint does not reveal which addresses have accounts.
 */
export async function requestPasswordReset({
  db,
  config,
  now,
  email,
}: {
  db: Database;
  config: ServiceConfig;
  now: Date;
  email: string;
}): Promise<void> {
  const member = (await db.signInCandidates(email)).find((c) => c.tenantId);
  if (!member?.tenantId) return;
  const tenantId = member.tenantId;
  await db.withTenantTx(tenantId, (tx) => issueAuthToken(tx, { config, tenantId, kind: "reset", email, now }));
}

/** Sets a new password from a reset link (once, within 30 minutes) and revokes every session of the user. */
export async function completePasswordReset({
  db,
  config,
  now,
  token,
  password,
}: {
  db: Database;
  config: ServiceConfig;
  now: Date;
  token: string;
  password: string;
}): Promise<void> {
  const tenantId = /^[0-9a-f]{64}$/.test(token) ? await db.authTokenTenant(await sha256Hex(token)) : null;
  if (!tenantId)
    throw new AppError("NOT_FOUND", "This link is invalid, has expired or was already used; ask for a new one");
  const newHash = await hashPassword(password, config.passwordPeppers);
  await db.withTenantTx(tenantId, async (tx) => {
    const claimed = await claimAuthToken(tx, "reset", token, now);
    const [user] = await tx
      .update(users)
      .set({ passwordHash: newHash })
      .where(sql`lower(${users.email}) = lower(${claimed.email})`)
      .returning({ id: users.id });
    if (!user)
      throw new AppError("NOT_FOUND", "This link is invalid, has expired or was already used; ask for a new one");
    await revokeSessionsOf(tx, user.id, null, now);
  });
}
