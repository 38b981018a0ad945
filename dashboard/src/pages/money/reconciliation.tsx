// Reconciliation with Stripe: the runs (manual and scheduled), newest first, "Run now" for today (UTC), and one
// run's differences. A difference never changes the ledger: the owner resolves it.
import type { ReconciliationRun, ReconciliationRunDetail } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { fmtMoney, t } from "../../models/i18n.ts";
import { api, attempt } from "../../models/session.ts";
import { tp } from "./texts.ts";

export function Reconciliation() {
  const runs = useSignal<ReconciliationRun[] | null>(null);
  const error = useSignal<string | null>(null);
  const busy = useSignal(false);
  const open = useSignal<ReconciliationRunDetail | null>(null);
  const load = async () => {
    const r = await attempt(() => api.reconciliation.list({ limit: 20 }));
    if (r.ok) {
      runs.value = r.value.data;
      error.value = null;
    } else error.value = r.error;
  };
  useEffect(() => {
    void load();
  }, []);
  const runNow = async () => {
    busy.value = true;
    error.value = null;
    const r = await attempt(() => api.reconciliation.run({}));
    busy.value = false;
    if (!r.ok) {
      error.value = r.error;
      return;
    }
    open.value = r.value;
    await load();
  };
  const show = async (id: string) => {
    const r = await attempt(() => api.reconciliation.get(id));
    if (r.ok) open.value = r.value;
    else error.value = r.error;
  };
  const amount = (n: number | null, currency: string) => (n === null ? "—" : fmtMoney({ amount: n, currency }));
  return (
    <section class="panel" aria-labelledby="mp-recon">
      <h2 id="mp-recon">{tp("reconciliation")}</h2>
      <div class="buttons">
        <button type="button" class="primary" disabled={busy.value} onClick={() => void runNow()}>
          {busy.value ? tp("running") : tp("runNow")}
        </button>
      </div>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {!runs.value && !error.value && <p class="muted">{t("loading")}</p>}
      {runs.value?.length === 0 && <p class="muted">{tp("runsNone")}</p>}
      {runs.value && runs.value.length > 0 && (
        <table class="money-table" data-table="runs">
          <thead>
            <tr>
              <th scope="col">{tp("runDay")}</th>
              <th scope="col">{tp("trigger")}</th>
              <th scope="col">{tp("transactions")}</th>
              <th scope="col">{tp("differences")}</th>
              <th scope="col">
                <span class="visually-hidden">{tp("open")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.value.map((r) => (
              <tr key={r.id} data-run={r.id} data-clean={String(r.clean)}>
                <td>{r.day}</td>
                <td>{tp(r.trigger)}</td>
                <td class="num">{r.transactions}</td>
                <td class="num">{r.clean ? tp("clean") : r.differences}</td>
                <td>
                  <button type="button" onClick={() => void show(r.id)}>
                    {tp("open")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open.value && (
        <section class="run-detail" aria-labelledby="mp-run-detail" data-run={open.value.id}>
          <h3 id="mp-run-detail">{tp("differencesOf", { day: open.value.day })}</h3>
          {open.value.differenceList.length === 0 ? (
            <p class="muted">{tp("clean")}</p>
          ) : (
            <table class="money-table" data-table="differences">
              <thead>
                <tr>
                  <th scope="col">{tp("kind")}</th>
                  <th scope="col">{tp("ledgerAmount")}</th>
                  <th scope="col">{tp("stripeAmount")}</th>
                  <th scope="col">{tp("detail")}</th>
                </tr>
              </thead>
              <tbody>
                {open.value.differenceList.map((d, i) => (
                  <tr key={`${d.kind}-${d.balanceTransactionId ?? ""}-${i}`} data-kind={d.kind}>
                    <td>
                      <code>{d.kind}</code>
                    </td>
                    <td class="num">{amount(d.ledgerAmount, d.currency)}</td>
                    <td class="num">{amount(d.stripeAmount, d.currency)}</td>
                    <td>
                      {d.detail}
                      {d.balanceTransactionId && (
                        <>
                          {" "}
                          <code>{d.balanceTransactionId}</code>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button type="button" onClick={() => (open.value = null)}>
            {tp("close")}
          </button>
        </section>
      )}
    </section>
  );
}
