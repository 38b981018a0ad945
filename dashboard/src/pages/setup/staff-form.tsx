// A staff member's form: name, e-mail, photo, bio, commission, the services they perform and their weekly hours.
// The hours are checked here first (hours.ts); anything the API still refuses shows under the field it names.
import type { Service, Staff, StaffCreate } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { api, attempt } from "../../models/session.ts";
import { bpsToPercent, fieldErrors, orNull, percentToBps } from "./forms.ts";
import { fromWeekly, toWeekly, validateWeek, type Week, weeklyIssueField } from "./hours.ts";
import { hoursErrors, WeekEditor } from "./hours-editor.tsx";
import { tp } from "./texts.ts";
import { ConfirmDelete, type Errors, Field, invalid, SaveBar, Text, withSummary } from "./ui.tsx";

const FIELDS: Record<string, string> = {
  name: "name",
  email: "email",
  photoUrl: "photoUrl",
  bio: "bio",
  commissionBps: "commission",
  serviceIds: "services",
};

/** An API issue's path as the form's field key (an interval of the weekly hours, or a field). */
const fieldOf = (key: string, positions: { day: number; index: number }[]): string | null =>
  weeklyIssueField(key, positions) ?? FIELDS[key.split(".")[0] ?? ""] ?? null;

export function StaffForm(props: {
  member: Staff | null;
  services: Service[];
  onSaved: (s: Staff, created: boolean) => Promise<void>;
  onDeleted: () => Promise<void>;
}) {
  const m = props.member;
  const draft = useSignal<Record<string, string>>({
    name: m?.name ?? "",
    email: m?.email ?? "",
    photoUrl: m?.photoUrl ?? "",
    bio: m?.bio ?? "",
    commission: bpsToPercent(m?.commissionBps ?? 0),
  });
  const serviceIds = useSignal<string[]>(m?.serviceIds ?? []);
  const week = useSignal<Week>(fromWeekly(m?.weeklyHours ?? []));
  const errors = useSignal<Errors>({});
  const busy = useSignal(false);
  const saved = useSignal(false);
  const d = draft.value;
  const e = errors.value;

  const submit = async (ev: Event) => {
    ev.preventDefault();
    saved.value = false;
    const bad: Errors = hoursErrors(validateWeek(week.value));
    if (!d.name!.trim()) bad.name = tp("errRequired");
    const commissionBps = percentToBps(d.commission!);
    if (commissionBps === null) bad.commission = tp("errNumber");
    if (Object.keys(bad).length) {
      errors.value = withSummary(bad);
      return;
    }
    const { hours, positions } = toWeekly(week.value);
    const input: StaffCreate = {
      name: d.name!.trim(),
      email: orNull(d.email!),
      photoUrl: orNull(d.photoUrl!),
      bio: orNull(d.bio!),
      commissionBps: commissionBps!,
      serviceIds: serviceIds.value,
      weeklyHours: hours,
    };
    busy.value = true;
    const r = await attempt(() => (m ? api.staff.update(m.id, input) : api.staff.create(input)));
    busy.value = false;
    if (!r.ok) {
      errors.value = withSummary(fieldErrors(r.cause, r.error, (k) => fieldOf(k, positions)));
      return;
    }
    errors.value = {};
    saved.value = true;
    await props.onSaved(r.value, !m);
  };

  const remove = async () => {
    if (!m) return;
    busy.value = true;
    const r = await attempt(() => api.staff.delete(m.id));
    busy.value = false;
    if (r.ok) await props.onDeleted();
    else errors.value = { form: r.error };
  };

  const toggle = (id: string) => {
    serviceIds.value = serviceIds.value.includes(id)
      ? serviceIds.value.filter((x) => x !== id)
      : [...serviceIds.value, id];
  };

  return (
    <section class="panel" aria-labelledby="member-title">
      <h2 id="member-title">{m ? tp("editStaff", { name: m.name }) : tp("newStaff")}</h2>
      <form noValidate onSubmit={submit}>
        <div class="form-grid">
          <Text id="s-name" label={tp("staffName")} draft={draft} name="name" errors={e} autocomplete="off" />
          <Text
            id="s-email"
            label={tp("staffEmail")}
            draft={draft}
            name="email"
            type="email"
            errors={e}
            autocomplete="off"
          />
          <Text
            id="s-photo"
            label={tp("photoUrl")}
            draft={draft}
            name="photoUrl"
            type="url"
            errors={e}
            errKey="photoUrl"
          />
          <Text
            id="s-commission"
            label={tp("commission")}
            draft={draft}
            name="commission"
            inputMode="decimal"
            errors={e}
          />
        </div>
        <Field id="s-bio" label={tp("bio")} error={e.bio}>
          <textarea
            id="s-bio"
            rows={3}
            value={d.bio}
            onInput={(x) => {
              draft.value = { ...draft.value, bio: (x.currentTarget as HTMLTextAreaElement).value };
            }}
            {...invalid("s-bio", e.bio)}
          />
        </Field>
        <fieldset class="checks" {...(e.services ? { "aria-describedby": "s-services-err" } : {})}>
          <legend>{tp("performs")}</legend>
          {props.services.length === 0 && <p class="muted">{tp("noServicesYet")}</p>}
          {props.services.map((s) => (
            <label key={s.id} class="check">
              <input type="checkbox" checked={serviceIds.value.includes(s.id)} onChange={() => toggle(s.id)} />
              {s.name}
            </label>
          ))}
          {e.services && (
            <p class="error" id="s-services-err">
              {e.services}
            </p>
          )}
        </fieldset>
        <h3>{tp("hoursTitle")}</h3>
        <WeekEditor
          week={week.value}
          errors={e}
          onChange={(w) => {
            week.value = w;
          }}
        />
        <SaveBar busy={busy.value} errors={e} saved={saved.value}>
          {m && (
            <ConfirmDelete
              label={tp("deleteStaff")}
              question={tp("confirmDeleteStaff", { name: m.name })}
              busy={busy.value}
              onConfirm={() => void remove()}
            />
          )}
        </SaveBar>
      </form>
    </section>
  );
}
