// Connected accounts and their onboarding links: a link opens the emulator's onboarding page, whose "Complete"
// turns charges and payouts on and sends `account.updated` (with `event.account` set, as Connect does).
import type Stripe from "stripe";
import type { Ctx } from "../context.ts";
import { invalid, noSuch, StripeApiError } from "../errors.ts";
import type { Form } from "../form.ts";
import { stripeId } from "../ids.ts";
import { newAccount, newAccountLink, onboarded } from "../objects.ts";
import { allowOnly, metadata, obj, str } from "../params.ts";

/** How long an account link works (Stripe's are short-lived and single use). */
export const ACCOUNT_LINK_TTL_SECONDS = 300;

export interface StoredLink {
  id: string;
  object: "emulator.account_link";
  account: string;
  refresh_url: string;
  return_url: string;
  expires_at: number;
  used: boolean;
}

const TYPES = ["express", "standard", "custom"] as const;

function platformOnly(ctx: Ctx, what: string): void {
  if (ctx.connected)
    throw new StripeApiError(
      400,
      "invalid_request_error",
      `${what} must be called by the platform, without Stripe-Account.`,
    );
}

export async function createAccount(ctx: Ctx, form: Form): Promise<Stripe.Account> {
  platformOnly(ctx, "Creating an account");
  allowOnly(form, ["type", "country", "email", "metadata", "business_type", "capabilities", "controller", "expand"]);
  const type = str(form, "type") ?? "express";
  if (!(TYPES as readonly string[]).includes(type)) throw invalid("type", `Invalid account type: ${type}`);
  obj(form, "capabilities");
  obj(form, "controller");
  const account = newAccount(ctx.now, {
    type: type as Stripe.Account.Type,
    country: (str(form, "country") ?? "DE").toUpperCase(),
    email: str(form, "email"),
    metadata: metadata(form),
  });
  await ctx.tx.put(account, ctx.env.platform.account);
  return account;
}

/** A connected account the platform owns, or Stripe's "No such account". */
export async function connectedAccount(ctx: Ctx, id: string, param = "account"): Promise<Stripe.Account> {
  const found = await ctx.tx.get<Stripe.Account>(id);
  if (found?.type !== "account") throw noSuch("account", id, param);
  return found.data;
}

export async function retrieveAccount(ctx: Ctx, id: string): Promise<Stripe.Account> {
  if (ctx.connected && ctx.connected !== id) throw noSuch("account", id);
  return connectedAccount(ctx, id, "id");
}

export async function createAccountLink(ctx: Ctx, form: Form): Promise<Stripe.AccountLink> {
  platformOnly(ctx, "Creating an account link");
  allowOnly(form, ["account", "refresh_url", "return_url", "type", "collect", "collection_options", "expand"]);
  const account = await connectedAccount(ctx, str(form, "account", true));
  const type = str(form, "type", true);
  if (type !== "account_onboarding" && type !== "account_update") throw invalid("type", `Invalid type: ${type}`);
  const link: StoredLink = {
    id: stripeId("acctlink"),
    object: "emulator.account_link",
    account: account.id,
    refresh_url: validUrl(str(form, "refresh_url", true), "refresh_url"),
    return_url: validUrl(str(form, "return_url", true), "return_url"),
    expires_at: ctx.now + ACCOUNT_LINK_TTL_SECONDS,
    used: false,
  };
  await ctx.tx.put(link, ctx.env.platform.account);
  return newAccountLink(`${ctx.env.baseUrl}/setup/${link.id}`, ctx.now, ACCOUNT_LINK_TTL_SECONDS);
}

export function validUrl(value: string, param: string): string {
  try {
    const u = new URL(value);
    if (u.protocol === "http:" || u.protocol === "https:") return value;
  } catch {
    // refused below
  }
  throw invalid(param, `Not a valid URL: ${param}`, "url_invalid");
}

/** Onboarding completed: charges and payouts on, nothing due; `account.updated` with what changed. */
export async function completeOnboarding(ctx: Ctx, accountId: string): Promise<Stripe.Account> {
  const before = await connectedAccount(ctx, accountId);
  if (before.charges_enabled && before.payouts_enabled) return before;
  const after = onboarded(before);
  await ctx.tx.put(after, ctx.env.platform.account);
  await ctx.emit("account.updated", after, {
    capabilities: before.capabilities,
    charges_enabled: before.charges_enabled,
    payouts_enabled: before.payouts_enabled,
    details_submitted: before.details_submitted,
    requirements: before.requirements,
  });
  return after;
}

/** What the onboarding page does with its link: null when the link expired or was used (go to refresh_url). */
export async function useLink(ctx: Ctx, linkId: string, complete: boolean): Promise<StoredLink | null> {
  const found = await ctx.tx.get<StoredLink>(linkId);
  if (found?.type !== "emulator.account_link") return null;
  const link = found.data;
  if (link.used || link.expires_at < ctx.now) return { ...link, return_url: link.refresh_url };
  const used: StoredLink = { ...link, used: true };
  await ctx.tx.put(used, ctx.env.platform.account);
  if (complete) await completeOnboarding(ctx, link.account);
  return link;
}
