// Who is signed in, and the one place API errors are read: a 401 anywhere means the session is gone, so the app goes
// to the sign-in page and, once signed in again, back to the page it was on.
import { AuthenticationError, BookraError, createBookraDashboard, NetworkError, type Session } from "@bookra/sdk/admin";
import { signal } from "@preact/signals";
import { t } from "./i18n.ts";
import { navigate, route } from "./router.ts";

/** The dashboard's API client: the session cookie on this origin, never a key. */
export const api = createBookraDashboard({ baseUrl: location.origin });

/** undefined: not known yet (the first /v1/auth/session is on its way); null: signed out. */
export const session = signal<Session | null | undefined>(undefined);
/** Why the sign-in page shows ("your session has ended"), if not for the first visit. */
export const signInNotice = signal<string | null>(null);

export async function loadSession(): Promise<void> {
  try {
    session.value = await api.auth.session();
  } catch (e) {
    if (e instanceof AuthenticationError) session.value = null;
    else throw e;
  }
}

/** Marks the session lost (any 401): sign-in first, then back to `returnTo`. */
export function sessionLost(): void {
  if (session.value === null) return;
  session.value = null;
  signInNotice.value = t("sessionLost");
  const here = route.value;
  if (here.page !== "sign-in") navigate(`/sign-in?next=${encodeURIComponent(here.path)}`, true);
}

/**
 * Runs an API call; a 401 ends the session (and rejects), anything else is returned as a text for the place it
 * happened (never a blank page).
 */
export async function attempt<T>(
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: string; cause: unknown }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof AuthenticationError) sessionLost();
    return { ok: false, error: describeError(e), cause: e };
  }
}

export function describeError(e: unknown): string {
  if (e instanceof NetworkError) return t("offline");
  if (e instanceof BookraError && e.status !== undefined && e.status < 500) return e.message;
  return t("failed", { ref: e instanceof BookraError ? (e.requestId ?? e.code) : String(e) });
}

export async function signOut(): Promise<void> {
  await api.auth.signOut().catch(() => undefined);
  session.value = null;
  signInNotice.value = null;
  navigate("/sign-in", true);
}
