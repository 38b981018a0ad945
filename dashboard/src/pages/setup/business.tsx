// Setup › Business: the profile with time zone and currency, the policies (the platform fee is the owner's: a manager
// sees it read-only), and the branding beside a live preview of the real widget. Each panel saves on its own; the
// API's validation issues show under the field they name.
import type { Tenant, TenantPatch } from "@bookra/sdk/admin";
import { ConflictError } from "@bookra/sdk/admin";
import { type Signal, useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { locale, t } from "../../models/i18n.ts";
import { api, attempt, session } from "../../models/session.ts";
import { fieldErrors, orNull, toInt } from "./forms.ts";
import { WidgetPreview } from "./preview.tsx";
import { tp } from "./texts.ts";
import { type Errors, Field, invalid, SaveBar, Text, withSummary } from "./ui.tsx";

type Draft = Record<string, string>;

/** Sends one panel's change; its issues land on the panel's fields (by the last segment of their path). */
async function save(
  patch: TenantPatch,
  fields: readonly string[],
  state: { busy: Signal<boolean>; errors: Signal<Errors>; saved: Signal<boolean> },
  onSaved: (t: Tenant) => void,
  conflictField?: string,
) {
  state.busy.value = true;
  state.saved.value = false;
  const r = await attempt(() => api.tenant.update(patch));
  state.busy.value = false;
  if (r.ok) {
    state.errors.value = {};
    state.saved.value = true;
    onSaved(r.value);
    return;
  }
  if (conflictField && r.cause instanceof ConflictError) {
    state.errors.value = { [conflictField]: r.error };
    return;
  }
  state.errors.value = withSummary(
    fieldErrors(r.cause, r.error, (k) => {
      const last = k.split(".").at(-1) ?? "";
      return fields.includes(last) ? last : null;
    }),
  );
}

function usePanel() {
  return { busy: useSignal(false), errors: useSignal<Errors>({}), saved: useSignal(false) };
}

function Panel(props: { id: string; title: string; onSubmit: () => void; children: ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        {props.children}
      </form>
    </section>
  );
}

const zones = (current: string) => {
  const all = Intl.supportedValuesOf("timeZone");
  return all.includes(current) ? all : [current, ...all];
};

function currencies(current: string): { code: string; label: string }[] {
  const names = new Intl.DisplayNames([locale.value], { type: "currency" });
  const codes = Intl.supportedValuesOf("currency");
  return (codes.includes(current) ? codes : [current, ...codes]).map((code) => ({
    code,
    label: `${code} · ${names.of(code) ?? code}`,
  }));
}

function ProfilePanel({ tenant, onSaved }: { tenant: Tenant; onSaved: (t: Tenant) => void }) {
  const p = tenant.profile;
  const draft = useSignal<Draft>({
    name: tenant.name,
    address: p.address ?? "",
    phone: p.phone ?? "",
    about: p.about ?? "",
    logoUrl: p.logoUrl ?? "",
    timezone: tenant.timezone,
    currency: tenant.currency,
  });
  const st = usePanel();
  const e = st.errors.value;
  const d = draft.value;
  const submit = () => {
    const logo = orNull(d.logoUrl!);
    const { logoUrl: _old, ...branding } = tenant.branding;
    void save(
      {
        name: d.name!.trim(),
        timezone: d.timezone!,
        currency: d.currency!,
        profile: { address: orNull(d.address!), phone: orNull(d.phone!), about: orNull(d.about!), logoUrl: logo },
        // the widget shows the branding's logo: keep it the profile's
        branding: logo ? { ...branding, logoUrl: logo } : branding,
      },
      Object.keys(d),
      st,
      onSaved,
      "currency",
    );
  };
  const set = (k: string) => (ev: Event) => {
    draft.value = { ...draft.value, [k]: (ev.currentTarget as HTMLSelectElement).value };
  };
  return (
    <Panel id="profile-title" title={tp("profileTitle")} onSubmit={submit}>
      <div class="form-grid">
        <Text id="b-name" label={tp("name")} draft={draft} name="name" errors={e} autocomplete="organization" />
        <Text id="b-phone" label={tp("phone")} draft={draft} name="phone" errors={e} type="tel" autocomplete="tel" />
        <Text id="b-address" label={tp("address")} draft={draft} name="address" errors={e} />
        <Text
          id="b-logoUrl"
          label={tp("logoUrl")}
          draft={draft}
          name="logoUrl"
          errors={e}
          type="url"
          hint={tp("logoHint")}
        />
        <Field id="b-timezone" label={tp("timezone")} error={e.timezone}>
          <select id="b-timezone" value={d.timezone} onChange={set("timezone")} {...invalid("b-timezone", e.timezone)}>
            {zones(tenant.timezone).map((z) => (
              <option key={z} value={z}>
                {z.replaceAll("_", " ")}
              </option>
            ))}
          </select>
        </Field>
        <Field id="b-currency" label={tp("currency")} error={e.currency}>
          <select id="b-currency" value={d.currency} onChange={set("currency")} {...invalid("b-currency", e.currency)}>
            {currencies(tenant.currency).map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field id="b-about" label={tp("about")} error={e.about}>
        <textarea id="b-about" rows={3} value={d.about} onInput={set("about")} {...invalid("b-about", e.about)} />
      </Field>
      <SaveBar busy={st.busy.value} errors={e} saved={st.saved.value} />
    </Panel>
  );
}

function PoliciesPanel({ tenant, onSaved }: { tenant: Tenant; onSaved: (t: Tenant) => void }) {
  const pol = tenant.policies;
  const draft = useSignal<Draft>({
    holdMinutes: String(pol.holdMinutes ?? 15),
    freeUntilHours: String(pol.cancellation?.freeUntilHours ?? 24),
    lateRefundPercent: String(pol.cancellation?.lateRefundPercent ?? 0),
  });
  const st = usePanel();
  const e = st.errors.value;
  const submit = () => {
    const n: Record<string, number | null> = {};
    const bad: Errors = {};
    for (const [k, v] of Object.entries(draft.value)) {
      n[k] = toInt(v);
      if (n[k] === null) bad[k] = tp("errNumber");
    }
    if (Object.keys(bad).length) {
      st.errors.value = withSummary(bad);
      return;
    }
    void save(
      {
        policies: {
          holdMinutes: n.holdMinutes!,
          cancellation: { freeUntilHours: n.freeUntilHours!, lateRefundPercent: n.lateRefundPercent! },
        },
      },
      Object.keys(draft.value),
      st,
      onSaved,
    );
  };
  const num = { inputMode: "numeric" as const, draft, errors: e };
  return (
    <Panel id="policies-title" title={tp("policiesTitle")} onSubmit={submit}>
      <div class="form-grid">
        <Text id="p-hold" label={tp("holdMinutes")} name="holdMinutes" {...num} />
        <Text id="p-free" label={tp("freeUntilHours")} name="freeUntilHours" {...num} />
        <Text id="p-late" label={tp("lateRefundPercent")} name="lateRefundPercent" {...num} />
      </div>
      <SaveBar busy={st.busy.value} errors={e} saved={st.saved.value} />
    </Panel>
  );
}

function BrandingPanel({ tenant, onSaved }: { tenant: Tenant; onSaved: (t: Tenant) => void }) {
  const b = tenant.branding;
  const draft = useSignal<Draft>({
    primaryColor: b.primaryColor ?? "#4f46e5",
    accentColor: b.accentColor ?? "#f59e0b",
    radius: String(b.radius ?? 8),
    font: b.font ?? "",
  });
  const st = usePanel();
  const e = st.errors.value;
  const d = draft.value;
  const submit = () => {
    const radius = toInt(d.radius!);
    if (radius === null) {
      st.errors.value = withSummary({ radius: tp("errNumber") });
      return;
    }
    const font = orNull(d.font!);
    void save(
      {
        branding: {
          ...(b.logoUrl ? { logoUrl: b.logoUrl } : {}),
          primaryColor: d.primaryColor!,
          accentColor: d.accentColor!,
          radius,
          ...(font ? { font } : {}),
        },
      },
      Object.keys(d),
      st,
      onSaved,
    );
  };
  return (
    <Panel id="branding-title" title={tp("brandingTitle")} onSubmit={submit}>
      <div class="branding">
        <div>
          <div class="form-grid">
            <Text
              id="br-primary"
              label={tp("primaryColor")}
              name="primaryColor"
              type="color"
              draft={draft}
              errors={e}
            />
            <Text id="br-accent" label={tp("accentColor")} name="accentColor" type="color" draft={draft} errors={e} />
            <Text
              id="br-radius"
              label={tp("radius")}
              name="radius"
              type="number"
              min={0}
              max={32}
              draft={draft}
              errors={e}
            />
            <Text id="br-font" label={tp("font")} name="font" draft={draft} errors={e} hint={tp("fontHint")} />
          </div>
          <SaveBar busy={st.busy.value} errors={e} saved={st.saved.value} />
        </div>
        <WidgetPreview
          slug={tenant.slug}
          primary={d.primaryColor!}
          accent={d.accentColor!}
          radius={toInt(d.radius!) ?? 8}
          font={d.font!}
        />
      </div>
    </Panel>
  );
}

export function Business() {
  const tenant = useSignal<Tenant | null>(null);
  const error = useSignal<string | null>(null);
  const load = async () => {
    const r = await attempt(() => api.tenant.get());
    if (r.ok) {
      tenant.value = r.value;
      error.value = null;
    } else error.value = r.error;
  };
  useEffect(() => {
    void load();
  }, []);
  if (error.value)
    return (
      <p class="error" role="alert">
        {error.value}{" "}
        <button type="button" onClick={() => void load()}>
          {t("retry")}
        </button>
      </p>
    );
  const tv = tenant.value;
  if (!tv) return <p class="muted">{t("loading")}</p>;
  const onSaved = (next: Tenant) => {
    tenant.value = next;
    const s = session.value;
    if (s)
      session.value = {
        ...s,
        tenant: { ...s.tenant, name: next.name, timezone: next.timezone, currency: next.currency },
      };
  };
  return (
    <>
      <ProfilePanel tenant={tv} onSaved={onSaved} />
      <PoliciesPanel tenant={tv} onSaved={onSaved} />
      <BrandingPanel tenant={tv} onSaved={onSaved} />
    </>
  );
}
