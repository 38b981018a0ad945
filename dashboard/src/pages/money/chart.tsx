// Net revenue by day as a hand-written SVG bar chart (no chart library: the page needs one chart of at most 366
// bars, which is a few dozen lines of SVG with no style attributes, within the CSP and the bundle budget), with the
// same figures as a table for screen readers and for reading exact amounts.
import type { ReportRevenueRow } from "@bookra/sdk/admin";
import { fmtDay, fmtMoney } from "../../models/i18n.ts";
import { type Period, scaleBars } from "./model.ts";
import { tp } from "./texts.ts";

const W = 720;
const H = 180;

export function RevenueChart({ rows, period }: { rows: ReportRevenueRow[]; period: Period }) {
  const currency = rows[0]?.currency;
  const days = rows.filter((r) => r.currency === currency);
  const { bars, zero } = scaleBars(
    days.map((r) => ({ key: r.key, value: r.netRevenue })),
    H,
  );
  const step = days.length ? W / days.length : W;
  const gap = step > 6 ? Math.min(4, step / 4) : 0;
  const label = tp("chartLabel", { from: fmtDay(period.from, "short"), to: fmtDay(period.to, "short") });
  return (
    <div class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="none" class="bars">
        <line x1={0} x2={W} y1={zero} y2={zero} class="zero" />
        {bars.map((b, i) => {
          const row = days[i]!;
          return (
            <rect
              key={b.key}
              x={i * step + gap / 2}
              y={b.y}
              width={Math.max(0, step - gap)}
              height={Math.max(b.h, b.value === 0 ? 0 : 1)}
              class={b.value < 0 ? "neg" : "pos"}
              data-day={b.key}
            >
              <title>{`${fmtDay(b.key, "short")}: ${fmtMoney({ amount: b.value, currency: row.currency })}`}</title>
            </rect>
          );
        })}
      </svg>
      <details>
        <summary>{tp("asTable")}</summary>
        <table class="money-table" data-table="days">
          <thead>
            <tr>
              <th scope="col">{tp("day")}</th>
              <th scope="col">{tp("netRevenue")}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((r) => (
              <tr key={r.key} data-key={r.key}>
                <th scope="row">{fmtDay(r.key, "short")}</th>
                <td class="num">{fmtMoney({ amount: r.netRevenue, currency: r.currency })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
