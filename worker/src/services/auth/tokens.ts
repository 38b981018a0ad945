// One-time tokens for e-mailed links (password resets, invitations): 30 minutes, single use. The token is derived
// from the row's id with the server's secret, so the outbox row (visible to the business in GET /v1/admin/outbox)
// carries only the id and the e-mail handler derives the link; the database stores only the token's SHA-256.
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { noteOutboxWritten, type Tx } from "../../db/client.ts";
import { authTokens } from "../../db/schema/index.ts";
import type { Role } from "../../domain/permissions.ts";
import { AUTH_TOKEN_TTL_MS } from "../../domain/sessions.ts";
import { AppError } from "../../errors.ts";
import { keyedHashHex, sha256Hex } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import type { ServiceConfig } from "../context.ts";

export type AuthTokenKind = "reset" | "invitation";

/** The outbox event each kind sends (handled by the auth-email effect). */
export const AUTH_TOKEN_EVENTS = { reset: "auth.password_reset", invitation: "auth.invitation" } as const;

/** The token of a link: HMAC of the row id under the server's secret (64 hex characters). */
export function authTokenOf(config: ServiceConfig, id: string): string {
  return keyedHashHex(config.manageTokenSecret, `auth-token/${id}`);
}

/** Where each link points: the dashboard reads the token from the fragment (never sent to a server or a Referer). */
export function authLinkOf(config: ServiceConfig, kind: AuthTokenKind, token: string): string {
  const page = kind === "reset" ? "reset-password" : "accept-invitation";
  return `${config.publicBaseUrl}/app/${page}#token=${token}`;
}

/** Writes a token row and its e-mail's outbox row in the caller's transaction (invariant 2); returns the row id. */
export async function issueAuthToken(
  tx: Tx,
  args: {
    config: ServiceConfig;
    tenantId: string;
    kind: AuthTokenKind;
    email: string;
    role?: Role;
    staffId?: string | null;
    now: Date;
  },
): Promise<{ id: string; createdAt: Date; expiresAt: Date }> {
  const id = newId("atk");
  const expiresAt = new Date(args.now.getTime() + AUTH_TOKEN_TTL_MS);
  await tx.insert(authTokens).values({
    id,
    tenantId: args.tenantId,
    kind: args.kind,
    tokenHash: await sha256Hex(authTokenOf(args.config, id)),
    email: args.email,
    role: args.role ?? null,
    staffId: args.staffId ?? null,
    createdAt: args.now,
    expiresAt,
  });
  const eventId = newId("evt");
  await tx.execute(sql`INSERT INTO outbox (id, tenant_id, event_type, aggregate_id, payload)
    VALUES (${eventId}, ${args.tenantId}, ${AUTH_TOKEN_EVENTS[args.kind]}, ${id}, ${JSON.stringify({ tokenId: id })}::jsonb)`);
  noteOutboxWritten(tx, [eventId]);
  return { id, createdAt: args.now, expiresAt };
}

/**
 * Uses a token once: marks it used if it is of this kind, unused and unexpired, in one statement (two requests with the
 * same token cannot both pass). Anything else is the same 404, revealing nothing about the token.
 */
export async function claimAuthToken(
  tx: Tx,
  kind: AuthTokenKind,
  token: string,
  now: Date,
): Promise<typeof authTokens.$inferSelect> {
  const [row] = await tx
    .update(authTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(authTokens.tokenHash, await sha256Hex(token)),
        eq(authTokens.kind, kind),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, now),
      ),
    )
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "This link is invalid, has expired or was already used; ask for a new one");
  return row;
}
