// Accept an invitation (/app/accept-invitation#token=…, signed out): a name and a password (or the current one of an
// existing user) → signed in, on Today. The token stays in the fragment, like a reset link's.
import { useSignal } from "@preact/signals";
import { t } from "../models/i18n.ts";
import { navigate, onLinkClick } from "../models/router.ts";
import { api, session } from "../models/session.ts";
import { tokenFromHash } from "../models/signup.ts";
import { Field, type FieldErrors, fieldErrors, focusFirstError, invalid, required, tryApi } from "./forms.tsx";
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
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const name = String(f.get("name") ?? "").trim();
    const password = String(f.get("password") ?? "");
    const errs: FieldErrors = {};
    const noName = required(name);
    if (noName) errs.name = noName;
    if (!password) errs.password = t("errRequired");
    if (Object.keys(errs).length) {
      errors.value = errs;
      focusFirstError();
      return;
    }
    busy.value = true;
    const r = await tryApi(() => api.auth.acceptInvitation(token!, { name, password }));
    busy.value = false;
    if (r.ok) {
      session.value = r.value;
      navigate("/today", true);
      return;
    }
    const status = (r.cause as { status?: number }).status;
    if (status === 404) expired.value = true;
    else {
      // 401: an existing account's password did not match
      errors.value = status === 401 ? { password: r.error } : fieldErrors(r.cause, ["name", "password"], r.error);
      focusFirstError();
    }
  };
  const err = errors.value;
  return (
    <main id="main" class="sign-in">
      <form class="card" onSubmit={submit} aria-labelledby="invite-title" noValidate>
        <LanguagePicker />
        <p class="brand">{t("appName")}</p>
        <h1 id="invite-title">{tx("inviteTitle")}</h1>
        {!token || expired.value ? (
          <p class="error" role="alert">
            {token ? tx("inviteExpired") : tx("linkBroken")}
          </p>
        ) : (
          <>
            <p class="muted">{tx("inviteHint")}</p>
            <Field id="name" label={tx("yourName")} error={err.name}>
              <input id="name" name="name" maxLength={200} autocomplete="name" {...invalid("name", err.name)} />
            </Field>
            <Field id="password" label={tx("ownerPassword")} error={err.password} hint={tx("passwordHint")}>
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
              {tx("join")}
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
