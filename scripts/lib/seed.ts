// Seeds the demo business through the public contract itself (signup + admin API), so the demo is what a user gets:
// an owner who can sign in to the dashboard and, when the worker's token secret is given, a staff user (Ana) who
// accepted an invitation.
import { randomBytes } from "node:crypto";
import { authTokenOf } from "../../worker/src/services/auth/tokens.ts";

export const DEMO_SLUG = "demo-salon";

/** A password for a demo account: 16 random base64url characters (generated on first start, never committed). */
export function newDemoPassword(): string {
  return randomBytes(12).toString("base64url");
}

export interface DemoAccounts {
  ownerPassword?: string;
  /** Adds Ana as a staff user with this password; `tokenSecret` is the worker's MANAGE_TOKEN_SECRET (links' tokens). */
  staff?: { password: string; tokenSecret: string };
  /**
   * The local Stripe emulator's URL: the demo business connects Stripe and completes the emulated onboarding, so
   * deposits work end to end (the worker learns of it by the signed `account.updated` event, waited for here).
   */
  stripeUrl?: string;
}

export interface DemoSeed {
  apiKey: string;
  tenantId: string;
  owner: { email: string; password: string };
  staff?: { email: string; password: string };
}

async function call(baseUrl: string, method: string, path: string, body: unknown, key?: string): Promise<any> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const weekdays = (days: number[], start: string, end: string) => days.map((weekday) => ({ weekday, start, end }));

export async function seedDemo(baseUrl: string, slug = DEMO_SLUG, accounts: DemoAccounts = {}): Promise<DemoSeed> {
  const owner = { email: `owner@${slug}.example`, password: accounts.ownerPassword ?? newDemoPassword() };
  const signup = await call(baseUrl, "POST", "/v1/signup", {
    businessName: "Demo Salon",
    slug,
    timezone: "Europe/London",
    currency: "GBP",
    ownerEmail: owner.email,
    ownerPassword: owner.password,
  });
  const key: string = signup.apiKey;
  await call(
    baseUrl,
    "PATCH",
    "/v1/admin/tenant",
    { branding: { primaryColor: "#7c3aed", accentColor: "#f59e0b", radius: 10 } },
    key,
  );
  const service = (body: Record<string, unknown>) =>
    call(baseUrl, "POST", "/v1/admin/services", { staffIds: [], ...body }, key);
  const haircut = await service({
    name: "Haircut",
    durationMinutes: 45,
    price: { amount: 4500, currency: "GBP" },
    bufferAfterMinutes: 10,
    minNoticeMinutes: 60,
    slotStepMinutes: 15,
  });
  const colour = await service({
    name: "Colour & cut",
    durationMinutes: 120,
    price: { amount: 12000, currency: "GBP" },
    bufferAfterMinutes: 15,
    minNoticeMinutes: 1440,
    slotStepMinutes: 30,
    deposit: { percent: 30 },
  });
  const beard = await service({
    name: "Beard trim",
    durationMinutes: 20,
    price: { amount: 2000, currency: "GBP" },
    slotStepMinutes: 10,
  });
  const consult = await service({
    name: "Free consultation",
    durationMinutes: 30,
    price: { amount: 0, currency: "GBP" },
    slotStepMinutes: 30,
  });
  const ana = await call(
    baseUrl,
    "POST",
    "/v1/admin/staff",
    {
      name: "Ana",
      email: `ana@${slug}.example`,
      commissionBps: 4000,
      serviceIds: [haircut.id, colour.id, consult.id],
      weeklyHours: weekdays([1, 2, 3, 4, 5], "09:00", "17:00"),
    },
    key,
  );
  await call(
    baseUrl,
    "POST",
    "/v1/admin/staff",
    {
      name: "Ben",
      email: `ben@${slug}.example`,
      commissionBps: 3500,
      serviceIds: [haircut.id, beard.id, consult.id],
      weeklyHours: [...weekdays([2, 3, 4, 5, 6], "10:00", "13:00"), ...weekdays([2, 3, 4, 5, 6], "14:00", "18:00")],
    },
    key,
  );
  await call(
    baseUrl,
    "POST",
    "/v1/admin/staff",
    {
      name: "Chloé",
      email: `chloe@${slug}.example`,
      commissionBps: 4500,
      serviceIds: [colour.id, haircut.id],
      weeklyHours: weekdays([1, 3, 5], "12:00", "20:00"),
    },
    key,
  );
  const seeded: DemoSeed = { apiKey: key, tenantId: signup.tenant.id, owner };
  if (accounts.stripeUrl) await connectDemoStripe(baseUrl, key, accounts.stripeUrl);
  if (accounts.staff) {
    // Ana signs in as staff: invited by e-mail (the link's token is derived as the worker derives it), then accepted.
    const email = `ana@${slug}.example`;
    const invitation = await call(
      baseUrl,
      "POST",
      "/v1/admin/invitations",
      { email, role: "staff", staffId: ana.id },
      key,
    );
    const token = authTokenOf({ manageTokenSecret: accounts.staff.tokenSecret, publicBaseUrl: baseUrl }, invitation.id);
    await call(baseUrl, "POST", `/v1/auth/invitations/${token}`, { name: "Ana", password: accounts.staff.password });
    seeded.staff = { email, password: accounts.staff.password };
  }
  return seeded;
}

/** Connects the demo business to the emulated Stripe and completes its onboarding (the emulator's control API). */
async function connectDemoStripe(baseUrl: string, key: string, stripeUrl: string): Promise<void> {
  const { state } = await call(baseUrl, "POST", "/v1/admin/payments/connect", {}, key);
  const done = await fetch(`${stripeUrl}/_emulator/accounts/${state.accountId}/complete`, { method: "POST" });
  if (!done.ok) throw new Error(`emulated onboarding → ${done.status}`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await fetch(`${baseUrl}/v1/admin/payments`, { headers: { authorization: `Bearer ${key}` } });
    if (res.ok && ((await res.json()) as { chargesEnabled?: boolean }).chargesEnabled) return;
    if (Date.now() > deadline) throw new Error("the demo's Stripe account did not become enabled within 15 s");
    await new Promise((ok) => setTimeout(ok, 100));
  }
}
