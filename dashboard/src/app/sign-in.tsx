// The sign-in page: e-mail and password; on success, back to the page the user was on (or Today).
import { RateLimitError } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { t } from "../models/i18n.ts";
import { api, describeError, loadSession, signInNotice } from "../models/session.ts";

export function SignIn() {
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    busy.value = true;
    error.value = null;
    try {
      await api.auth.signIn({ email: String(form.get("email")), password: String(form.get("password")) });
      signInNotice.value = null;
      // the app goes back to the page in `next` once the session is known (main.tsx)
      await loadSession();
    } catch (err) {
      const status = (err as { status?: number }).status;
      error.value =
        status === 401
          ? t("badCredentials")
          : err instanceof RateLimitError
            ? t("tooManyAttempts")
            : describeError(err);
    } finally {
      busy.value = false;
    }
  };
  return (
    <main id="main" class="sign-in">
      <form class="card" onSubmit={submit} aria-labelledby="sign-in-title" noValidate={false}>
        <p class="brand">{t("appName")}</p>
        <h1 id="sign-in-title">{t("signInTitle")}</h1>
        {signInNotice.value && (
          <p class="notice" role="status">
            {signInNotice.value}
          </p>
        )}
        <label for="email">{t("email")}</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">{t("password")}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        {error.value && (
          <p class="error" role="alert">
            {error.value}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy.value}>
          {busy.value ? t("signingIn") : t("signIn")}
        </button>
      </form>
    </main>
  );
}
