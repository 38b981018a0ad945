// The control API (`/_emulator/…`, JSON): what a real Stripe account does on its own or on a customer's say —
// disputes, payouts, failing refunds — triggered on demand, plus a look at the events and their deliveries.
import type Stripe from "stripe";
import { type Ctx, type Env, makeCtx } from "./context.ts";
import { invalid, noSuch } from "./errors.ts";
import { list } from "./objects.ts";
import { completeOnboarding } from "./resources/accounts.ts";
import { paySession } from "./resources/checkout.ts";
import { closeDispute, findCharge, openDispute } from "./resources/disputes.ts";
import { changeFee, DROP_EVENTS_SETTING, silentCharges } from "./resources/drift.ts";
import { runPayouts } from "./resources/payouts.ts";
import { REFUNDS_SETTING, type RefundMode } from "./resources/refunds.ts";
import type { Tx } from "./store.ts";

type Json = Record<string, unknown>;

const optString = (body: Json, key: string): string | undefined => {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw invalid(key, `${key} must be a string`);
  return v;
};

async function ownerCtx(tx: Tx, env: Env, id: string, kind: string): Promise<Ctx> {
  const found = await tx.get<unknown>(id);
  if (!found) throw noSuch(kind, id);
  return makeCtx(tx, env, found.account);
}

/** Runs a control request; null when no control route matches. */
export async function runControl(tx: Tx, env: Env, method: string, path: string, body: Json, query: URLSearchParams) {
  const close = /^\/_emulator\/disputes\/(dp_\w+)\/close$/.exec(path);
  const pay = /^\/_emulator\/checkout\/sessions\/([\w-]+)\/(pay|decline)$/.exec(path);
  const complete = /^\/_emulator\/accounts\/(acct_\w+)\/complete$/.exec(path);
  const fee = /^\/_emulator\/balance_transactions\/(txn_\w+)\/fee$/.exec(path);
  if (method === "POST" && path === "/_emulator/charges") {
    const account = optString(body, "account");
    if (!account) throw invalid("account", "account is required");
    const txns = await silentCharges(makeCtx(tx, env, account), {
      amount: Number(body.amount),
      currency: optString(body, "currency") ?? "eur",
      applicationFee: body.applicationFee === undefined ? 0 : Number(body.applicationFee),
      count: body.count === undefined ? 1 : Number(body.count),
    });
    return list(txns, "/_emulator/charges");
  }
  if (method === "POST" && fee) {
    const ctx = await ownerCtx(tx, env, fee[1]!, "balance_transaction");
    return changeFee(ctx, fee[1]!, Number(body.stripeFee));
  }
  if (method === "POST" && path === "/_emulator/disputes") {
    const input = { charge: optString(body, "charge"), payment_intent: optString(body, "payment_intent") };
    const probe = makeCtx(tx, env, env.platform.account);
    const charge = await findCharge(probe, input);
    const amount = body.amount === undefined ? undefined : Number(body.amount);
    return openDispute(makeCtx(tx, env, charge.account), {
      ...input,
      ...(amount === undefined ? {} : { amount }),
      ...(optString(body, "reason") ? { reason: optString(body, "reason") } : {}),
    });
  }
  if (method === "POST" && close) {
    const ctx = await ownerCtx(tx, env, close[1]!, "dispute");
    return closeDispute(ctx, close[1]!, optString(body, "outcome") ?? "");
  }
  if (method === "POST" && path === "/_emulator/payouts/run") {
    const outcome = optString(body, "outcome") ?? "paid";
    if (outcome !== "paid" && outcome !== "failed") throw invalid("outcome", "outcome must be paid or failed");
    const misreport = body.misreport === undefined ? 0 : Number(body.misreport);
    if (!Number.isInteger(misreport)) throw invalid("misreport", "misreport must be an integer");
    const only = optString(body, "account");
    const accounts = only ? [only] : (await tx.list<Stripe.Account>(env.platform.account, "account")).map((a) => a.id);
    const payouts: Stripe.Payout[] = [];
    for (const account of accounts) payouts.push(...(await runPayouts(makeCtx(tx, env, account), outcome, misreport)));
    return list(payouts, "/_emulator/payouts/run");
  }
  if (path === "/_emulator/settings" && (method === "GET" || method === "POST")) {
    if (method === "POST") {
      const refunds = optString(body, "refunds");
      if (refunds !== undefined) {
        if (refunds !== "succeed" && refunds !== "fail") throw invalid("refunds", "refunds must be succeed or fail");
        await tx.setSetting(REFUNDS_SETTING, refunds);
      }
      const drop = body.dropEvents;
      if (drop !== undefined) {
        if (!Array.isArray(drop) || drop.some((d) => typeof d !== "string"))
          throw invalid("dropEvents", "dropEvents must be a list of event types");
        await tx.setSetting(DROP_EVENTS_SETTING, drop);
      }
    }
    return {
      refunds: (await tx.setting<RefundMode>(REFUNDS_SETTING)) ?? "succeed",
      dropEvents: (await tx.setting<string[]>(DROP_EVENTS_SETTING)) ?? [],
    };
  }
  if (method === "GET" && path === "/_emulator/events") {
    const account = query.get("account") ?? env.platform.account;
    const rows = await tx.list<Stripe.Event>(account, "event", query.get("type") ? { type: query.get("type") } : {});
    const data = [];
    for (const row of rows) data.push({ event: row.data, deliveries: await tx.deliveries(row.id) });
    return { object: "list", data };
  }
  if (method === "POST" && pay) {
    const ctx = await ownerCtx(tx, env, pay[1]!, "checkout.session");
    return paySession(ctx, pay[1]!, pay[2] === "decline");
  }
  if (method === "POST" && complete) {
    return completeOnboarding(makeCtx(tx, env, complete[1]!), complete[1]!);
  }
  return null;
}
