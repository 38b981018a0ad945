// Money: for the owner, a period's figures from the ledger (summary, net revenue by day as a chart and a table, by
// staff member and by service, each report as a CSV download), payouts and the appointments in each, staff
// statements with "Mark paid", and reconciliation runs with Stripe. A staff session sees its own statement only (the
// API refuses it everything else); managers do not see this page (the API answers them 403 on all of it).
import type { ReportRevenue, ReportSummary, ReportSummaryFigures } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { now } from "../../models/clock.ts";
import { fmtDay, fmtMoney, t } from "../../models/i18n.ts";
import { api, attempt, session } from "../../models/session.ts";
import { RevenueChart } from "./chart.tsx";
import { csvName, localToday, type Period, type PeriodChoice, periodFor } from "./model.ts";
import { Payouts } from "./payouts.tsx";
import { PeriodPicker } from "./period-picker.tsx";
import { Reconciliation } from "./reconciliation.tsx";
import { Statements } from "./statements.tsx";
import "./money.css";
import { tp } from "./texts.ts";

const FIGURES = [
  "grossTakings",
  "serviceRevenue",
  "cancellationFees",
  "refunds",
  "discounts",
  "tips",
  "stripeFees",
  "platformFees",
  "disputeCosts",
  "commissions",
  "net",
  "depositsHeld",
  "stripeOwes",
] as const satisfies readonly (keyof ReportSummaryFigures)[];

export function Page() {
  const s = session.value!;
  const today = localToday(now(), s.tenant.timezone);
  const sel = useSignal<{ choice: PeriodChoice; period: Period }>({
    choice: "month",
    period: periodFor("month", today),
  });
  const picker = <PeriodPicker today={today} value={sel.value} onChange={(v) => (sel.value = v)} idPrefix="mp" />;
  if (s.role === "staff")
    return (
      <section class="page money" aria-labelledby="page-title">
        <h1 id="page-title">{tp("title")}</h1>
        {picker}
        {s.staffId && <Statements period={sel.value.period} only={s.staffId} />}
      </section>
    );
  return (
    <section class="page money" aria-labelledby="page-title">
      <h1 id="page-title">{tp("title")}</h1>
      {picker}
      <Reports period={sel.value.period} />
      <Statements period={sel.value.period} />
      <Payouts />
      <Reconciliation />
    </section>
  );
}

interface Loaded {
  summary: ReportSummary;
  days: ReportRevenue;
  staff: ReportRevenue;
  services: ReportRevenue;
}

function Reports({ period }: { period: Period }) {
  const data = useSignal<Loaded | null>(null);
  const error = useSignal<string | null>(null);
  const seq = useRef(0);
  const load = async () => {
    const mine = ++seq.current;
    error.value = null;
    const r = await attempt(() =>
      Promise.all([
        api.reports.summary(period),
        api.reports.revenue({ ...period, groupBy: "day" }),
        api.reports.revenue({ ...period, groupBy: "staff" }),
        api.reports.revenue({ ...period, groupBy: "service" }),
      ]),
    );
    if (mine !== seq.current) return;
    if (!r.ok) {
      error.value = r.error;
      return;
    }
    const [summary, days, staff, services] = r.value;
    data.value = { summary, days, staff, services };
  };
  useEffect(() => {
    data.value = null;
    void load();
  }, [period.from, period.to]);
  const d = data.value;
  const range = tp("range", { from: fmtDay(period.from, "short"), to: fmtDay(period.to, "short") });
  return (
    <>
      <section class="panel" aria-labelledby="mp-summary" data-period={`${period.from}/${period.to}`}>
        <h2 id="mp-summary">
          {tp("summary")} <span class="muted">{range}</span>
        </h2>
        {error.value && (
          <p class="error" role="alert">
            {error.value}{" "}
            <button type="button" onClick={() => void load()}>
              {t("retry")}
            </button>
          </p>
        )}
        {!d && !error.value && <p class="muted">{t("loading")}</p>}
        {d?.summary.currencies.map((c) => (
          <dl key={c.currency} class="figures" data-currency={c.currency}>
            {FIGURES.map((f) => (
              <div key={f} data-figure={f} data-amount={c[f]}>
                <dt>{tp(f)}</dt>
                <dd>{fmtMoney({ amount: c[f], currency: c.currency })}</dd>
              </div>
            ))}
          </dl>
        ))}
        {d && <CsvButton report="summary" period={period} />}
      </section>
      <section class="panel" aria-labelledby="mp-revenue">
        <h2 id="mp-revenue">{tp("revenue")}</h2>
        {d && <RevenueChart rows={d.days.rows} period={period} />}
        {d && <CsvButton report="revenue" period={period} groupBy="day" />}
      </section>
      {d &&
        (
          [
            ["staff", "byStaff", d.staff],
            ["service", "byService", d.services],
          ] as const
        ).map(([group, title, rep]) => (
          <section key={group} class="panel" aria-labelledby={`mp-by-${group}`}>
            <h2 id={`mp-by-${group}`}>{tp(title)}</h2>
            {rep.rows.length === 0 ? (
              <p class="muted">{tp("nothing")}</p>
            ) : (
              <table class="money-table" data-table={group}>
                <thead>
                  <tr>
                    <th scope="col">{tp("name")}</th>
                    <th scope="col">{tp("serviceRevenue")}</th>
                    <th scope="col">{tp("tips")}</th>
                    <th scope="col">{tp("netRevenue")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rep.rows.map((r) => (
                    <tr key={`${r.key}-${r.currency}`} data-key={r.key} data-net={r.netRevenue}>
                      <th scope="row">{r.label}</th>
                      <td class="num">{fmtMoney({ amount: r.serviceRevenue, currency: r.currency })}</td>
                      <td class="num">{fmtMoney({ amount: r.tips, currency: r.currency })}</td>
                      <td class="num">{fmtMoney({ amount: r.netRevenue, currency: r.currency })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <CsvButton report="revenue" period={period} groupBy={group} />
          </section>
        ))}
    </>
  );
}

/**
 * A report as a CSV file: the API needs the session cookie, which a plain link would send too, but the SDK's call
 * keeps the dashboard's one error path (a 401 signs out); the text is saved through a Blob.
 */
function CsvButton({
  report,
  period,
  groupBy,
}: {
  report: "summary" | "revenue";
  period: Period;
  groupBy?: "day" | "staff" | "service";
}) {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const download = async () => {
    busy.value = true;
    error.value = null;
    const r = await attempt(() =>
      report === "summary"
        ? api.reports.summaryCsv(period)
        : api.reports.revenueCsv({ ...period, groupBy: groupBy ?? "day" }),
    );
    busy.value = false;
    if (!r.ok) {
      error.value = r.error;
      return;
    }
    const url = URL.createObjectURL(new Blob([r.value as unknown as string], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = csvName(report, period, groupBy);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  return (
    <p class="csv">
      <button
        type="button"
        disabled={busy.value}
        data-csv={groupBy ? `${report}-${groupBy}` : report}
        onClick={download}
      >
        {busy.value ? tp("downloading") : tp("downloadCsv")}
      </button>
      {error.value && (
        <span class="error" role="alert">
          {" "}
          {error.value}
        </span>
      )}
    </p>
  );
}
