// Sign-up (/app/signup, signed out): business name, booking address (slug), time zone, currency, e-mail and
// password → POST /v1/signup, then sign in and land on Setup. Every error shows at its field (a taken slug at the slug).
import { signup } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { locale, t } from "../models/i18n.ts";
import { navigate, onLinkClick } from "../models/router.ts";
import { api, loadSession } from "../models/session.ts";
import { checkSignup, type SignupForm, type SignupProblem, slugify } from "../models/signup.ts";
import { Field, type FieldErrors, fieldErrors, focusFirstError, invalid, tryApi } from "./forms.tsx";
import { LanguagePicker } from "./language-picker.tsx";
import { tx } from "./public-texts.ts";

const FIELDS = ["businessName", "slug", "timezone", "currency", "ownerEmail", "ownerPassword"] as const;

function zones(): string[] {
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const all = Intl.supportedValuesOf("timeZone");
  return all.includes(here) ? all : [here, ...all];
}

function currencies(): { code: string; name: string }[] {
  const names = new Intl.DisplayNames([locale.value], { type: "currency" });
  return Intl.supportedValuesOf("currency").map((code) => ({ code, name: names.of(code) ?? code }));
}

const message = (p: SignupProblem) =>
  p === "required"
    ? t("errRequired")
    : p === "slug"
      ? tx("errSlug")
      : p === "email"
        ? t("errEmail")
        : tx("errPassword");

export function Page() {
  const form = useSignal<SignupForm>({
    businessName: "",
    slug: "",
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    currency: "EUR",
    ownerEmail: "",
    ownerPassword: "",
  });
  const slugEdited = useSignal(false);
  const errors = useSignal<FieldErrors>({});
  const busy = useSignal(false);
  const set = (k: keyof SignupForm, v: string) => {
    const next = { ...form.value, [k]: v };
    if (k === "businessName" && !slugEdited.value) next.slug = slugify(v);
    if (k === "slug") slugEdited.value = true;
    form.value = next;
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = { ...form.value, businessName: form.value.businessName.trim(), ownerEmail: form.value.ownerEmail.trim() };
    const problems = checkSignup(f);
    if (Object.keys(problems).length) {
      errors.value = Object.fromEntries(Object.entries(problems).map(([k, p]) => [k, message(p)]));
      focusFirstError();
      return;
    }
    busy.value = true;
    errors.value = {};
    const r = await tryApi(() => signup(f, { baseUrl: location.origin }));
    if (!r.ok) {
      busy.value = false;
      const taken = (r.cause as { status?: number }).status === 409;
      errors.value = fieldErrors(r.cause, FIELDS, taken ? tx("slugTaken") : r.error, "slug");
      focusFirstError();
      return;
    }
    const signedIn = await tryApi(() => api.auth.signIn({ email: f.ownerEmail, password: f.ownerPassword }));
    busy.value = false;
    if (!signedIn.ok) {
      errors.value = { form: signedIn.error };
      return;
    }
    await loadSession();
    navigate("/setup", true);
  };
  const err = errors.value;
  const v = form.value;
  const input = (k: keyof SignupForm) => (e: Event) => set(k, (e.currentTarget as HTMLInputElement).value);
  return (
    <main id="main" class="sign-in">
      <form class="card wide" onSubmit={submit} aria-labelledby="signup-title" noValidate>
        <LanguagePicker />
        <p class="brand">{t("appName")}</p>
        <h1 id="signup-title">{tx("signupTitle")}</h1>
        <Field id="businessName" label={tx("businessName")} error={err.businessName}>
          <input
            id="businessName"
            value={v.businessName}
            maxLength={200}
            autocomplete="organization"
            onInput={input("businessName")}
            {...invalid("businessName", err.businessName)}
          />
        </Field>
        <Field id="slug" label={tx("slug")} error={err.slug} hint={tx("slugHint", { slug: v.slug || "…" })}>
          <input
            id="slug"
            value={v.slug}
            maxLength={48}
            autocomplete="off"
            spellcheck={false}
            autocapitalize="none"
            onInput={input("slug")}
            {...invalid("slug", err.slug, true)}
          />
        </Field>
        <Field id="timezone" label={tx("timezone")} error={err.timezone}>
          <select id="timezone" value={v.timezone} onChange={input("timezone")} {...invalid("timezone", err.timezone)}>
            {zones().map((z) => (
              <option key={z} value={z}>
                {z.replace(/_/g, " ")}
              </option>
            ))}
          </select>
        </Field>
        <Field id="currency" label={tx("currency")} error={err.currency}>
          <select id="currency" value={v.currency} onChange={input("currency")} {...invalid("currency", err.currency)}>
            {currencies().map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} · {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="ownerEmail" label={tx("ownerEmail")} error={err.ownerEmail}>
          <input
            id="ownerEmail"
            type="email"
            value={v.ownerEmail}
            maxLength={254}
            autocomplete="username"
            onInput={input("ownerEmail")}
            {...invalid("ownerEmail", err.ownerEmail)}
          />
        </Field>
        <Field id="ownerPassword" label={tx("ownerPassword")} error={err.ownerPassword} hint={tx("passwordHint")}>
          <input
            id="ownerPassword"
            type="password"
            value={v.ownerPassword}
            maxLength={200}
            autocomplete="new-password"
            onInput={input("ownerPassword")}
            {...invalid("ownerPassword", err.ownerPassword, true)}
          />
        </Field>
        {err.form && (
          <p class="error" role="alert">
            {err.form}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy.value}>
          {busy.value ? tx("creating") : tx("createAccount")}
        </button>
        <p class="muted">
          {tx("haveAccount")}{" "}
          <a href="/app/sign-in" onClick={(e) => onLinkClick(e, "/sign-in")}>
            {t("signIn")}
          </a>
        </p>
      </form>
    </main>
  );
}
