// Dashboard session and one-time token lifetimes (issue 12), and the pure rules that apply them.

/** A session lives 14 days after it was last seen (sliding expiry). */
export const SESSION_TTL_MS = 14 * 24 * 3_600_000;
/** The expiry moves forward at most once an hour: not a database write per request. */
export const SESSION_RENEW_AFTER_MS = 3_600_000;
/** Password-reset and invitation links work for 30 minutes, once. */
export const AUTH_TOKEN_TTL_MS = 30 * 60_000;

export type SessionState = "expired" | "renew" | "fresh";

/** Whether a live (not revoked) session is still valid at `now`, and whether its expiry should move forward. */
export function sessionState(session: { lastSeenAt: Date; expiresAt: Date }, now: Date): SessionState {
  if (session.expiresAt.getTime() <= now.getTime()) return "expired";
  return now.getTime() - session.lastSeenAt.getTime() >= SESSION_RENEW_AFTER_MS ? "renew" : "fresh";
}

export function sessionExpiry(now: Date): Date {
  return new Date(now.getTime() + SESSION_TTL_MS);
}

/** Methods that change something: when authenticated by the cookie, they must come from the API's own origin. */
export function isUnsafeMethod(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}
