// The `/v1` routes: the subset of Stripe's REST API Bookra uses. Each handler runs in one transaction on the
// acting account (the platform, or the connected account the `Stripe-Account` header names).
import type { Ctx } from "./context.ts";
import { noSuch, StripeApiError } from "./errors.ts";
import type { Form } from "./form.ts";
import { expandList } from "./params.ts";
import { createAccount, createAccountLink, retrieveAccount } from "./resources/accounts.ts";
import { createSession, expireSession, loadSession } from "./resources/checkout.ts";
import { listBalanceTransactions, retrieveBalance } from "./resources/payouts.ts";
import { createRefund, listRefunds } from "./resources/refunds.ts";

type Handler = (ctx: Ctx, form: Form, args: string[]) => Promise<unknown>;

/** Objects any account may read back by id (its own only). */
const RETRIEVABLE: Record<string, string> = {
  payment_intents: "payment_intent",
  charges: "charge",
  balance_transactions: "balance_transaction",
  refunds: "refund",
  disputes: "dispute",
  payouts: "payout",
  events: "event",
};

const retrieve: Handler = async (ctx, _form, [collection, id]) => {
  const type = RETRIEVABLE[collection!]!;
  const found = await ctx.tx.get<unknown>(id!);
  if (!found || found.type !== type || found.account !== ctx.account) throw noSuch(type, id!);
  return found.data;
};

export const ROUTES: [method: string, pattern: RegExp, handler: Handler][] = [
  ["POST", /^\/v1\/accounts$/, (ctx, form) => createAccount(ctx, form)],
  ["GET", /^\/v1\/accounts\/(acct_\w+)$/, (ctx, _f, [id]) => retrieveAccount(ctx, id!)],
  ["POST", /^\/v1\/account_links$/, (ctx, form) => createAccountLink(ctx, form)],
  ["POST", /^\/v1\/checkout\/sessions$/, (ctx, form) => createSession(ctx, form)],
  ["GET", /^\/v1\/checkout\/sessions\/([\w-]+)$/, async (ctx, _f, [id]) => (await loadSession(ctx, id!)).session],
  ["POST", /^\/v1\/checkout\/sessions\/([\w-]+)\/expire$/, (ctx, _f, [id]) => expireSession(ctx, id!, true)],
  ["POST", /^\/v1\/refunds$/, (ctx, form) => createRefund(ctx, form)],
  ["GET", /^\/v1\/refunds$/, (ctx, form) => listRefunds(ctx, form)],
  ["GET", /^\/v1\/balance$/, (ctx) => retrieveBalance(ctx)],
  ["GET", /^\/v1\/balance_transactions$/, (ctx, form) => listBalanceTransactions(ctx, form)],
  [
    "GET",
    /^\/v1\/(payment_intents|charges|balance_transactions|refunds|disputes|payouts|events)\/(\w+)$/,
    (ctx, form, args) => retrieve(ctx, form, args),
  ],
];

/** Runs the route for `method path`, then expands what `expand[]` asks for; null when no route matches. */
export async function runApi(ctx: Ctx, method: string, path: string, form: Form): Promise<unknown | null> {
  for (const [m, pattern, handler] of ROUTES) {
    const match = pattern.exec(path);
    if (!match || m !== method) continue;
    const result = await handler(ctx, form, match.slice(1));
    const out = structuredClone(result);
    for (const p of expandList(form)) await expand(ctx, out, p.split("."));
    return out;
  }
  return null;
}

/** Replaces an id at `path` by its object (the account's own only), as Stripe's `expand` does. */
async function expand(ctx: Ctx, node: unknown, path: string[]): Promise<void> {
  if (!node || typeof node !== "object" || path.length === 0) return;
  const [head, ...rest] = path as [string, ...string[]];
  const record = node as Record<string, unknown>;
  if (head === "data" && Array.isArray(record.data)) {
    for (const item of record.data) await expand(ctx, item, rest);
    return;
  }
  let value = record[head];
  if (typeof value === "string") {
    const found = await ctx.tx.get<unknown>(value);
    if (!found || found.account !== ctx.account)
      throw new StripeApiError(400, "invalid_request_error", `This property cannot be expanded (${head}).`);
    value = found.data;
    record[head] = value;
  }
  await expand(ctx, value, rest);
}

export function isKnownPath(path: string): boolean {
  return ROUTES.some(([, pattern]) => pattern.test(path));
}
