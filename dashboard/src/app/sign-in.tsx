// The sign-in page: e-mail and password; on success, back to the page the user was on (or Today). "Forgot
// password?" asks for a reset link (the same answer whether or not the address has an account); a link leads to
// sign-up, and the language can be chosen before signing in.
import { RateLimitError } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { t } from "../models/i18n.ts";
import { onLinkClick, route } from "../models/router.ts";
import { api, describeError, loadSession, signInNotice } from "../models/session.ts";
import { LanguagePicker } from "./language-picker.tsx";
import { ts } from "./sign-in-texts.ts";
import "./public.css";

function ForgotPassword({ email, onBack }: { email: string; onBack: () => void }) {
  const error = useSignal<string | null>(null);
  const sentTo = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const address = String(new FormData(e.currentTarget as HTMLFormElement).get("email") ?? "").trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      error.value = t("errEmail");
      return;
    }
    busy.value = true;
    error.value = null;
    try {
      await api.auth.requestPasswordReset({ email: address });
      sentTo.value = address;
    } catch (err) {
      error.value = err instanceof RateLimitError ? t("tooManyAttempts") : describeError(err);
    } finally {
      busy.value = false;
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="forgot-title" noValidate>
      <LanguagePicker />
      <p class="brand">{t("appName")}</p>
      <h1 id="forgot-title">{ts("forgotTitle")}</h1>
      {sentTo.value ? (
        <p class="notice" role="status">
          {ts("linkSent", { email: sentTo.value })}
        </p>
      ) : (
        <>
          <p class="muted">{ts("forgotHint")}</p>
          <label for="forgot-email">{t("email")}</label>
          <input
            id="forgot-email"
            name="email"
            type="email"
            autocomplete="username"
            defaultValue={email}
            aria-invalid={error.value ? true : undefined}
            aria-describedby={error.value ? "forgot-email-err" : undefined}
          />
          {error.value && (
            <p class="error" id="forgot-email-err" role="alert">
              {error.value}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy.value}>
            {busy.value ? ts("sending") : ts("sendLink")}
          </button>
        </>
      )}
      <button type="button" class="link" onClick={onBack}>
        {ts("backToSignIn")}
      </button>
    </form>
  );
}

export function SignIn() {
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const forgot = useSignal(route.value.query.get("forgot") === "1");
  const email = useSignal("");
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
  if (forgot.value)
    return (
      <main id="main" class="sign-in">
        <ForgotPassword
          email={email.value}
          onBack={() => {
            forgot.value = false;
          }}
        />
      </main>
    );
  return (
    <main id="main" class="sign-in">
      <form class="card" onSubmit={submit} aria-labelledby="sign-in-title" noValidate={false}>
        <LanguagePicker />
        <p class="brand">{t("appName")}</p>
        <h1 id="sign-in-title">{t("signInTitle")}</h1>
        {signInNotice.value && (
          <p class="notice" role="status">
            {signInNotice.value}
          </p>
        )}
        <label for="email">{t("email")}</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value={email.value}
          onInput={(e) => {
            email.value = (e.currentTarget as HTMLInputElement).value;
          }}
        />
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
        <button
          type="button"
          class="link"
          onClick={() => {
            forgot.value = true;
          }}
        >
          {ts("forgot")}
        </button>
        <p class="muted">
          {ts("noAccount")}{" "}
          <a href="/app/signup" onClick={(e) => onLinkClick(e, "/signup")}>
            {ts("createBusiness")}
          </a>
        </p>
      </form>
    </main>
  );
}
