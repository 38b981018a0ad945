// Setup › Staff: the list (/app/setup/staff), a new member (/new) and a member's page (/<id>): their form and hours,
// then their date overrides, time off, dashboard invitation and calendar feed.
import type { Service, Staff } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { t } from "../../models/i18n.ts";
import { navigate, onLinkClick } from "../../models/router.ts";
import { api, attempt } from "../../models/session.ts";
import { all } from "./forms.ts";
import { FeedPanel, InvitePanel, OverridesPanel, TimeOffPanel } from "./staff-extras.tsx";
import { StaffForm } from "./staff-form.tsx";
import { tp } from "./texts.ts";

function useStaffAndServices() {
  const staff = useSignal<Staff[] | null>(null);
  const services = useSignal<Service[]>([]);
  const error = useSignal<string | null>(null);
  const load = async () => {
    const r = await attempt(() =>
      Promise.all([all(api.staff.list({ limit: 100 })), all(api.services.list({ limit: 100 }))]),
    );
    if (r.ok) {
      [staff.value, services.value] = r.value;
      error.value = null;
    } else error.value = r.error;
  };
  useEffect(() => {
    void load();
  }, []);
  return { staff, services, error, load };
}

export function StaffSection({ sub }: { sub: string | undefined }) {
  const { staff, services, error, load } = useStaffAndServices();
  if (error.value)
    return (
      <p class="error" role="alert">
        {error.value}{" "}
        <button type="button" onClick={() => void load()}>
          {t("retry")}
        </button>
      </p>
    );
  const list = staff.value;
  if (!list) return <p class="muted">{t("loading")}</p>;
  if (sub) {
    const member = sub === "new" ? null : list.find((s) => s.id === sub);
    if (member === undefined) return <p role="alert">{t("notFound")}</p>;
    return (
      <div class="member">
        <p>
          <a href="/app/setup/staff" onClick={(e) => onLinkClick(e, "/setup/staff")}>
            <span aria-hidden="true">‹ </span>
            {tp("backToStaff")}
          </a>
        </p>
        <StaffForm
          key={member?.id ?? "new"}
          member={member}
          services={services.value}
          onSaved={async (saved, created) => {
            await load();
            if (created) navigate(`/setup/staff/${saved.id}`);
          }}
          onDeleted={async () => {
            await load();
            navigate("/setup/staff");
          }}
        />
        {member && (
          <>
            <OverridesPanel member={member} />
            <TimeOffPanel member={member} />
            <InvitePanel member={member} />
            <FeedPanel member={member} />
          </>
        )}
      </div>
    );
  }
  return (
    <section class="panel" aria-labelledby="staff-title">
      <h2 id="staff-title">{tp("staff")}</h2>
      {list.length === 0 && <p class="muted">{tp("noStaff")}</p>}
      <ul class="list rows">
        {list.map((s) => (
          <li key={s.id} class="row">
            <span class="who">
              <strong>{s.name}</strong>
              {s.email && <span class="muted"> · {s.email}</span>}
            </span>
            <span class="muted">
              {s.serviceIds
                .map((id) => services.value.find((x) => x.id === id)?.name)
                .filter(Boolean)
                .join(", ")}
            </span>
            <a class="button" href={`/app/setup/staff/${s.id}`} onClick={(e) => onLinkClick(e, `/setup/staff/${s.id}`)}>
              {tp("edit")}
              <span class="visually-hidden"> {s.name}</span>
            </a>
          </li>
        ))}
      </ul>
      <p>
        <a class="button primary" href="/app/setup/staff/new" onClick={(e) => onLinkClick(e, "/setup/staff/new")}>
          + {tp("addStaff")}
        </a>
      </p>
    </section>
  );
}
