// Dashboard sessions: sign in (a new random token every time; only its SHA-256 is stored), recognise a cookie, slide
// its expiry at most hourly, sign out, and who is signed in. Roles are read from the membership on every request.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Database, SessionPrincipal, Tx } from "../../db/client.ts";
import { memberships, sessions, tenants, users } from "../../db/schema/index.ts";
import type { AdminActor, Role } from "../../domain/permissions.ts";
import { sessionExpiry, sessionState } from "../../domain/sessions.ts";
import { InvalidCredentials, NotFound } from "../../errors.ts";
import { checkPassword, hashPassword, newSecret, type PasswordPeppers, sha256Hex } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import type { Session, SignInInput } from "../../schemas/auth.ts";
import type { ServiceConfig } from "../context.ts";

/** What a sign-in hands the HTTP layer: the cookie's token (shown once) and who is now signed in. */
export interface SignedIn {
  token: string;
  session: Session;
}

/** A hash no password matches, checked for unknown addresses so they take as long as a wrong password. */
const dummyHashes = new Map<string, Promise<string>>();
function dummyHash(peppers: PasswordPeppers | undefined): Promise<string> {
  const key = peppers?.currentId ?? "";
  let hash = dummyHashes.get(key);
  if (!hash) {
    hash = hashPassword(newSecret("bs"), peppers);
    dummyHashes.set(key, hash);
  }
  return hash;
}

/**
 * E-mail and password → a new session in the user's business (the `tenant` slug picks one when they belong to
 * several). An unknown address, a wrong password and a user without a membership all get the same 401, after the
 * same PBKDF2 work. A correct password stored in an older form (no pepper, an older pepper) is rehashed now.
 */
export async function signIn({
  db,
  config,
  now,
  input,
}: {
  db: Database;
  config: ServiceConfig;
  now: Date;
  input: SignInInput;
}): Promise<SignedIn> {
  const candidates = await db.signInCandidates(input.email);
  const stored = candidates[0]?.passwordHash ?? (await dummyHash(config.passwordPeppers));
  const check = await checkPassword(input.password, stored, config.passwordPeppers);
  const member = candidates.find((c) => c.tenantId && (!input.tenant || c.tenantSlug === input.tenant));
  if (!check.ok || !member?.tenantId) throw new InvalidCredentials();
  const userId = member.userId;
  const rehashed = check.rehash ? await hashPassword(input.password, config.passwordPeppers) : null;
  return db.withTenantTx(member.tenantId, async (tx) => {
    if (rehashed) await tx.update(users).set({ passwordHash: rehashed }).where(eq(users.id, userId));
    return startSession(tx, member.tenantId!, userId, now);
  });
}

/** Inserts a new session for a member (inside the business's transaction) and reads who it signs in. */
export async function startSession(tx: Tx, tenantId: string, userId: string, now: Date): Promise<SignedIn> {
  const token = newSecret("bs");
  const expiresAt = sessionExpiry(now);
  await tx.insert(sessions).values({
    id: newId("ses"),
    tokenHash: await sha256Hex(token),
    userId,
    tenantId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  return { token, session: await readSession(tx, tenantId, userId, expiresAt) };
}

async function readSession(tx: Tx, tenantId: string, userId: string, expiresAt: Date): Promise<Session> {
  const [row] = await tx
    .select({ user: users, tenant: tenants, role: memberships.role, staffId: memberships.staffId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  if (!row) throw new NotFound("Session");
  const t = row.tenant;
  return {
    user: { id: row.user.id, email: row.user.email, name: row.user.name },
    tenant: { id: t.id, slug: t.slug, name: t.name, timezone: t.timezone, currency: t.currency },
    role: row.role,
    staffId: row.staffId,
    expiresAt: expiresAt.toISOString(),
  };
}

/** A cookie's session as the admin API sees it, or null (unknown, revoked, expired, membership gone). */
export async function authenticateSession({
  db,
  token,
  now,
}: {
  db: Database;
  token: string;
  now: Date;
}): Promise<{ tenantId: string; actor: AdminActor & { kind: "session" }; renew: boolean; expiresAt: Date } | null> {
  if (!/^bs_[0-9a-z]{40}$/.test(token)) return null;
  const principal = await db.sessionPrincipal(await sha256Hex(token));
  if (!principal) return null;
  const state = sessionState(principal, now);
  if (state === "expired") return null;
  return {
    tenantId: principal.tenantId,
    actor: {
      kind: "session",
      role: principal.role as Role,
      sessionId: principal.sessionId,
      userId: principal.userId,
      staffId: principal.staffId,
    },
    renew: state === "renew",
    expiresAt: state === "renew" ? sessionExpiry(now) : principal.expiresAt,
  };
}

/** Slides a session's expiry (at most hourly: authenticateSession says when). */
export async function renewSession(
  db: Database,
  session: { tenantId: string; sessionId: string },
  now: Date,
): Promise<void> {
  await db.withTenantTx(session.tenantId, (tx) =>
    tx
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt: sessionExpiry(now) })
      .where(and(eq(sessions.id, session.sessionId), isNull(sessions.revokedAt))),
  );
}

/** Signs a cookie's session out; an unknown or already revoked token is not an error. */
export async function signOut({ db, token, now }: { db: Database; token: string; now: Date }): Promise<void> {
  if (!/^bs_[0-9a-z]{40}$/.test(token)) return;
  const principal: SessionPrincipal | null = await db.sessionPrincipal(await sha256Hex(token));
  if (!principal) return;
  await db.withTenantTx(principal.tenantId, (tx) =>
    tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.id, principal.sessionId), isNull(sessions.revokedAt))),
  );
}

/** Who is signed in with this session. */
export async function getSession({
  db,
  tenantId,
  actor,
  expiresAt,
}: {
  db: Database;
  tenantId: string;
  actor: AdminActor & { kind: "session" };
  expiresAt: Date;
}): Promise<Session> {
  return db.withTenantTx(tenantId, (tx) => readSession(tx, tenantId, actor.userId, expiresAt));
}

/** Revokes every live session of a user in every business but `keep` (revoke_user_sessions, migrations/0015). */
export async function revokeSessionsOf(tx: Tx, userId: string, keep: string | null, now: Date): Promise<void> {
  await tx.execute(sql`SELECT revoke_user_sessions(${userId}, ${keep}, ${now.toISOString()}::timestamptz)`);
}
