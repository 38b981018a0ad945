// A staff member's page beyond the form: date overrides (a date's own hours, or a day off), time off, an invitation
// to sign in to the dashboard (role staff, their record), and their private calendar feed URL with a copy button.
import type { Override, Staff, TimeOff } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";
import { now } from "../../models/clock.ts";
import { fmtDay, fmtTime, t } from "../../models/i18n.ts";
import { api, attempt, session } from "../../models/session.ts";
import { fromLocal, toLocal } from "../../models/time.ts";
import { all, fieldErrors } from "./forms.ts";
import { type Span, validateDay } from "./hours.ts";
import { DayEditor, hoursErrors } from "./hours-editor.tsx";
import { tp } from "./texts.ts";
import { type Errors, Field, invalid, withSummary } from "./ui.tsx";

const tz = () => session.value!.tenant.timezone;

function Box(props: { id: string; title: string; hint?: string; children: ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.hint && <p class="muted">{props.hint}</p>}
      {props.children}
    </section>
  );
}

function FormError({ errors }: { errors: Errors }) {
  return errors.form ? (
    <p class="error" role="alert">
      {errors.form}
    </p>
  ) : null;
}

export function OverridesPanel({ member }: { member: Staff }) {
  const list = useSignal<Override[]>([]);
  const date = useSignal("");
  const off = useSignal(false);
  const spans = useSignal<Span[]>([{ start: "10:00", end: "14:00" }]);
  const errors = useSignal<Errors>({});
  const busy = useSignal(false);
  const today = toLocal(now(), tz()).date;
  const load = async () => {
    const r = await attempt(() => all(api.staff.overrides.list(member.id, { from: today, limit: 100 })));
    if (r.ok) list.value = r.value;
    else errors.value = { form: r.error };
  };
  useEffect(() => {
    void load();
  }, [member.id]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const bad: Errors = off.value ? {} : hoursErrors(validateDay(spans.value));
    const renamed: Errors = {};
    for (const [k, v] of Object.entries(bad)) renamed[k.replace(/^hours\.0\./, "ov.0.")] = v;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date.value)) renamed.date = tp("errRequired");
    if (Object.keys(renamed).length) {
      errors.value = withSummary(renamed);
      return;
    }
    busy.value = true;
    const intervals = off.value ? [] : spans.value;
    const r = await attempt(() => api.staff.overrides.set(member.id, date.value, { intervals }));
    busy.value = false;
    if (!r.ok) {
      errors.value = withSummary(
        fieldErrors(r.cause, r.error, (k) => {
          const [head, n] = k.split(".");
          return head === "intervals" && n !== undefined ? `ov.0.${n}.end` : head === "date" ? "date" : null;
        }),
      );
      return;
    }
    errors.value = {};
    await load();
  };
  const remove = async (d: string) => {
    const r = await attempt(() => api.staff.overrides.delete(member.id, d));
    if (!r.ok) errors.value = { form: r.error };
    await load();
  };
  const e = errors.value;
  return (
    <Box id="overrides-title" title={tp("overridesTitle")} hint={tp("overridesHint")}>
      {list.value.length === 0 ? (
        <p class="muted">{tp("noOverrides")}</p>
      ) : (
        <ul class="list rows">
          {list.value.map((o) => (
            <li key={o.date} class="row">
              <strong>{fmtDay(o.date)}</strong>
              <span>
                {o.intervals.length ? o.intervals.map((i) => `${i.start}–${i.end}`).join(", ") : tp("dayOff")}
              </span>
              <button type="button" onClick={() => void remove(o.date)}>
                {tp("removeOverride", { date: fmtDay(o.date) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form noValidate onSubmit={submit} class="sub-form">
        <div class="form-grid">
          <Field id="ov-date" label={tp("date")} error={e.date}>
            <input
              id="ov-date"
              type="date"
              min={today}
              value={date.value}
              onInput={(x) => (date.value = (x.currentTarget as HTMLInputElement).value)}
              {...invalid("ov-date", e.date)}
            />
          </Field>
          <label class="check">
            <input type="checkbox" checked={off.value} onChange={() => (off.value = !off.value)} />
            {tp("dayOff")}
          </label>
        </div>
        {!off.value && (
          <DayEditor
            prefix="ov"
            day={0}
            label={date.value ? fmtDay(date.value) : tp("date")}
            spans={spans.value}
            errors={e}
            onChange={(s) => (spans.value = s)}
          />
        )}
        <button type="submit" class="primary" disabled={busy.value}>
          {busy.value ? t("working") : tp("addOverride")}
        </button>
        <FormError errors={e} />
      </form>
    </Box>
  );
}

/** A datetime-local value ("2027-03-01T09:30") in the business's zone → instant. */
function localToInstant(v: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(v);
  return m ? fromLocal(m[1]!, Number(m[2]) * 60 + Number(m[3]), tz()) : null;
}

export function TimeOffPanel({ member }: { member: Staff }) {
  const list = useSignal<TimeOff[]>([]);
  const draft = useSignal({ start: "", end: "", reason: "" });
  const errors = useSignal<Errors>({});
  const busy = useSignal(false);
  const load = async () => {
    const r = await attempt(() => all(api.staff.timeOff.list(member.id, { limit: 100 })));
    if (r.ok) list.value = r.value.filter((x) => Date.parse(x.end) > now().getTime());
    else errors.value = { form: r.error };
  };
  useEffect(() => {
    void load();
  }, [member.id]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const start = localToInstant(draft.value.start);
    const end = localToInstant(draft.value.end);
    const bad: Errors = {};
    if (!start) bad.start = tp("errRequired");
    if (!end) bad.end = tp("errRequired");
    if (Object.keys(bad).length) {
      errors.value = withSummary(bad);
      return;
    }
    busy.value = true;
    const reason = draft.value.reason.trim();
    const r = await attempt(() =>
      api.staff.timeOff.create(member.id, { start: start!, end: end!, ...(reason ? { reason } : {}) }),
    );
    busy.value = false;
    if (!r.ok) {
      errors.value = withSummary(
        fieldErrors(r.cause, r.error, (k) => (["start", "end", "reason"].includes(k) ? k : null)),
      );
      return;
    }
    errors.value = {};
    draft.value = { start: "", end: "", reason: "" };
    await load();
  };
  const remove = async (id: string) => {
    const r = await attempt(() => api.staff.timeOff.delete(member.id, id));
    if (!r.ok) errors.value = { form: r.error };
    await load();
  };
  const range = (x: TimeOff) =>
    `${fmtDay(toLocal(x.start, tz()).date, "short")} ${fmtTime(x.start, tz())} – ${fmtDay(toLocal(x.end, tz()).date, "short")} ${fmtTime(x.end, tz())}`;
  const e = errors.value;
  const input = (k: "start" | "end" | "reason", label: string, type: "datetime-local" | "text") => (
    <Field id={`to-${k}`} label={label} error={e[k]}>
      <input
        id={`to-${k}`}
        type={type as "text"}
        value={draft.value[k]}
        onInput={(x) => (draft.value = { ...draft.value, [k]: (x.currentTarget as HTMLInputElement).value })}
        {...invalid(`to-${k}`, e[k])}
      />
    </Field>
  );
  return (
    <Box id="timeoff-title" title={tp("timeOffTitle")}>
      {list.value.length === 0 ? (
        <p class="muted">{tp("noTimeOff")}</p>
      ) : (
        <ul class="list rows">
          {list.value.map((x) => (
            <li key={x.id} class="row">
              <span>{range(x)}</span>
              {x.reason && <span class="muted">{x.reason}</span>}
              <button type="button" onClick={() => void remove(x.id)}>
                {tp("remove")}
                <span class="visually-hidden"> {range(x)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form noValidate onSubmit={submit} class="sub-form">
        <div class="form-grid">
          {input("start", tp("tfStart"), "datetime-local")}
          {input("end", tp("tfEnd"), "datetime-local")}
          {input("reason", tp("reason"), "text")}
        </div>
        <button type="submit" class="primary" disabled={busy.value}>
          {busy.value ? t("working") : tp("addTimeOff")}
        </button>
        <FormError errors={e} />
      </form>
    </Box>
  );
}

export function InvitePanel({ member }: { member: Staff }) {
  const email = useSignal(member.email ?? "");
  const errors = useSignal<Errors>({});
  const done = useSignal<string | null>(null);
  const busy = useSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    done.value = null;
    busy.value = true;
    const r = await attempt(() =>
      api.invitations.create({ email: email.value.trim(), role: "staff", staffId: member.id }),
    );
    busy.value = false;
    if (r.ok) {
      errors.value = {};
      done.value = tp("invited", { email: r.value.email });
    } else errors.value = withSummary(fieldErrors(r.cause, r.error, (k) => (k === "email" ? "email" : null)));
  };
  const e = errors.value;
  return (
    <Box id="invite-title" title={tp("inviteTitle")} hint={tp("inviteHint")}>
      <form noValidate onSubmit={submit} class="inline-form">
        <Field id="inv-email" label={tp("inviteEmail")} error={e.email}>
          <input
            id="inv-email"
            type="email"
            autocomplete="off"
            value={email.value}
            onInput={(x) => (email.value = (x.currentTarget as HTMLInputElement).value)}
            {...invalid("inv-email", e.email)}
          />
        </Field>
        <button type="submit" class="primary" disabled={busy.value}>
          {busy.value ? t("working") : tp("sendInvite")}
        </button>
      </form>
      <p role="status" class="ok">
        {done.value}
      </p>
      <FormError errors={e} />
    </Box>
  );
}

export function FeedPanel({ member }: { member: Staff }) {
  const url = useSignal<string | null>(null);
  const error = useSignal<string | null>(null);
  const copied = useSignal(false);
  const issue = async () => {
    copied.value = false;
    const r = await attempt(() => api.staff.issueCalendarFeed(member.id));
    if (r.ok) {
      url.value = r.value.url;
      error.value = null;
    } else error.value = r.error;
  };
  const copy = async () => {
    const field = document.getElementById("feed-url") as HTMLInputElement | null;
    try {
      await navigator.clipboard.writeText(url.value ?? "");
      copied.value = true;
    } catch {
      // no clipboard permission: select it, so Ctrl+C (or the browser's own copy) takes it
      field?.select();
      copied.value = document.execCommand("copy");
    }
  };
  return (
    <Box id="feed-title" title={tp("feedTitle")} hint={tp("feedHint")}>
      <button type="button" onClick={() => void issue()}>
        {tp("issueFeed")}
      </button>
      {url.value && (
        <div class="inline-form">
          <Field id="feed-url" label={tp("feedUrl")}>
            <input id="feed-url" readOnly value={url.value} onFocus={(e) => e.currentTarget.select()} />
          </Field>
          <button type="button" onClick={() => void copy()}>
            {tp("copy")}
          </button>
        </div>
      )}
      <p role="status" class="ok">
        {copied.value ? tp("copied") : ""}
      </p>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
    </Box>
  );
}
