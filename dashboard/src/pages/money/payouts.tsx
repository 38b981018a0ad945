// Payouts Stripe reported, newest first, and for one of them the appointments whose money is in that bank deposit.
import type { Payout, PayoutDetail } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { fmtDay, fmtMoney, fmtTime, t } from "../../models/i18n.ts";
import { onLinkClick } from "../../models/router.ts";
import { api, attempt, session } from "../../models/session.ts";
import { toLocal } from "../../models/time.ts";
import { tp } from "./texts.ts";

export function Payouts() {
  const tz = session.value!.tenant.timezone;
  const rows = useSignal<Payout[] | null>(null);
  const error = useSignal<string | null>(null);
  const open = useSignal<PayoutDetail | null>(null);
  const openError = useSignal<string | null>(null);
  useEffect(() => {
    void attempt(() => api.payouts.list({ limit: 20 })).then((r) => {
      if (r.ok) rows.value = r.value.data;
      else error.value = r.error;
    });
  }, []);
  const show = async (id: string) => {
    openError.value = null;
    const r = await attempt(() => api.payouts.get(id));
    if (r.ok) open.value = r.value;
    else openError.value = r.error;
  };
  const day = (instant: string) => fmtDay(toLocal(instant, tz).date, "short");
  return (
    <section class="panel" aria-labelledby="mp-payouts">
      <h2 id="mp-payouts">{tp("payouts")}</h2>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {!rows.value && !error.value && <p class="muted">{t("loading")}</p>}
      {rows.value?.length === 0 && <p class="muted">{tp("payoutsNone")}</p>}
      {rows.value && rows.value.length > 0 && (
        <table class="money-table" data-table="payouts">
          <thead>
            <tr>
              <th scope="col">{tp("created")}</th>
              <th scope="col">{tp("arrives")}</th>
              <th scope="col">{tp("amount")}</th>
              <th scope="col">{tp("status")}</th>
              <th scope="col">
                <span class="visually-hidden">{tp("open")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.value.map((p) => (
              <tr key={p.id} data-payout={p.id}>
                <td>{day(p.createdAt)}</td>
                <td>{p.arrivalDate ? fmtDay(p.arrivalDate.slice(0, 10), "short") : ""}</td>
                <td class="num">{fmtMoney({ amount: p.amount, currency: p.currency })}</td>
                <td>
                  {p.status}
                  {p.failureCode ? ` (${p.failureCode})` : ""}
                </td>
                <td>
                  <button type="button" onClick={() => void show(p.id)}>
                    {tp("open")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {openError.value && (
        <p class="error" role="alert">
          {openError.value}
        </p>
      )}
      {open.value && (
        <section class="payout-detail" aria-labelledby="mp-payout-detail">
          <h3 id="mp-payout-detail">{tp("inPayout", { id: open.value.id })}</h3>
          <table class="money-table" data-table="payout-bookings">
            <thead>
              <tr>
                <th scope="col">{tp("appointment")}</th>
                <th scope="col">{tp("customer")}</th>
                <th scope="col">{tp("status")}</th>
                <th scope="col">{tp("netRevenue")}</th>
              </tr>
            </thead>
            <tbody>
              {open.value.bookings.map((b) => {
                const href = `/bookings/${encodeURIComponent(b.id)}`;
                return (
                  <tr key={b.id}>
                    <td>
                      <a href={`/app${href}`} onClick={(e) => onLinkClick(e, href)}>
                        {day(b.startsAt)} {fmtTime(b.startsAt, tz)}
                      </a>
                    </td>
                    <td>{b.customerName ?? ""}</td>
                    <td>{b.status}</td>
                    <td class="num">{fmtMoney({ amount: b.net, currency: open.value!.currency })}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" onClick={() => (open.value = null)}>
            {tp("close")}
          </button>
        </section>
      )}
    </section>
  );
}
