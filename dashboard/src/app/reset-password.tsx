// Reset password (/app/reset-password#token=…, signed out): a new password for the e-mailed one-time link, then the
// sign-in page. The token stays in the fragment: browsers send it neither to a server nor in a Referer.
import { useSignal } from "@preact/signals";
import { t } from "../models/i18n.ts";
import { navigate, onLinkClick } from "../models/router.ts";
import { api, signInNotice } from "../models/session.ts";
import { MIN_PASSWORD, tokenFromHash } from "../models/signup.ts";
import { Field, type FieldErrors, fieldErrors, focusFirstError, invalid, tryApi } from "./forms.tsx";
import { LanguagePicker } from "./language-picker.tsx";
import { tx } from "./public-texts.ts";
import { ts } from "./sign-in-texts.ts";

export function Page() {
  const token = tokenFromHash(location.hash);
  const errors = useSignal<FieldErrors>({});
  const expired = useSignal(false);
  const busy = useSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget as HTMLFormElement).get("password") ?? "");
    if (password.length < MIN_PASSWORD) {
      errors.value = { password: password ? tx("errPassword") : t("errRequired") };
      focusFirstError();
      return;
    }
    busy.value = true;
    const r = await tryApi(() => api.auth.resetPassword(token!, { password }));
    busy.value = false;
    if (r.ok) {
      signInNotice.value = tx("passwordChanged");
      navigate("/sign-in", true);
      return;
    }
    if ((r.cause as { status?: number }).status === 404) expired.value = true;
    else {
      errors.value = fieldErrors(r.cause, ["password"], r.error);
      focusFirstError();
    }
  };
  const err = errors.value;
  const broken = !token || expired.value;
  return (
    <main id="main" class="sign-in">
      <form class="card" onSubmit={submit} aria-labelledby="reset-title" noValidate>
        <LanguagePicker />
        <p class="brand">{t("appName")}</p>
        <h1 id="reset-title">{tx("resetTitle")}</h1>
        {broken ? (
          <>
            <p class="error" role="alert">
              {token ? tx("linkExpired") : tx("linkBroken")}
            </p>
            <a href="/app/sign-in?forgot=1" onClick={(e) => onLinkClick(e, "/sign-in?forgot=1")}>
              {tx("askNewLink")}
            </a>
          </>
        ) : (
          <>
            <Field id="password" label={tx("newPassword")} error={err.password} hint={tx("passwordHint")}>
              <input
                id="password"
                name="password"
                type="password"
                maxLength={200}
                autocomplete="new-password"
                {...invalid("password", err.password, true)}
              />
            </Field>
            {err.form && (
              <p class="error" role="alert">
                {err.form}
              </p>
            )}
            <button type="submit" class="primary" disabled={busy.value}>
              {tx("savePassword")}
            </button>
          </>
        )}
        <p>
          <a href="/app/sign-in" onClick={(e) => onLinkClick(e, "/sign-in")}>
            {ts("backToSignIn")}
          </a>
        </p>
      </form>
    </main>
  );
}
