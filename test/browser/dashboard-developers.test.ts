// The Developers page and the signed-out pages in Chromium against the real stack (nothing scripted: the worker and
// its database answer): sign up a business in the UI and land signed in on Setup; an API key shown once; a webhook
// endpoint on a loopback receiver (test stacks run with BOOKRA_LOOPBACK_WEBHOOKS=on) whose test event arrives in the
// delivery log; the embed generator's snippet and its live preview under the page CSP; a password reset from the
// e-mailed link (read in the dev mailbox) and signing in with the new password. axe-clean throughout.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SLUG } from "../../scripts/lib/seed.ts";
import { axe, startWidgetWorld, type WidgetWorld, watch } from "./harness.ts";

let w: WidgetWorld;
let receiver: Server;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let hookUrl: string;

beforeAll(async () => {
  w = await startWidgetWorld();
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/bookra`;
}, 180_000);

afterAll(async () => {
  await new Promise((r) => receiver?.close(r));
  await w?.stop();
});

const unique = () => randomUUID().slice(0, 8);

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: w.stack.adminUrl });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}
/** Console errors other than the API's expected 4xx answers (Chrome logs those as failed resources). */
const unexpected = (errors: string[]) => errors.filter((e) => !/status of 4\d\d/.test(e));

async function signUpViaApi(base: string, email: string, password: string) {
  const res = await fetch(`${base}/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      businessName: `Reset ${unique()}`,
      slug: `reset-${unique()}`,
      timezone: "Europe/Madrid",
      currency: "EUR",
      ownerEmail: email,
      ownerPassword: password,
    }),
  });
  expect(res.status).toBe(201);
}

async function signInViaUi(page: Page, email: string, password: string) {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

describe("sign-up and the Developers page", () => {
  it("signs up in the UI (a taken slug is shown at the slug), lands on Setup, then keys, webhooks and embed code", async () => {
    const context = await w.browser.newContext({
      viewport: { width: 1280, height: 900 },
      permissions: ["clipboard-read", "clipboard-write"],
    });
    const page = await context.newPage();
    const { errors } = watch(page);
    const base = w.stack.baseUrl;
    await page.goto(`${base}/app/sign-in`);
    await page.getByRole("link", { name: "Create your business" }).click();
    await page.getByRole("heading", { name: "Create your business" }).waitFor();
    expect(page.url()).toBe(`${base}/app/signup`);
    expect(await axe(page, ["body"])).toEqual([]);

    const id = unique();
    const email = `owner-${id}@example.com`;
    await page.getByLabel("Business name").fill(`Studio ${id}`);
    // the slug follows the name until it is edited
    expect(await page.getByLabel("Booking address").inputValue()).toBe(`studio-${id}`);
    await page.getByLabel("Booking address").fill(DEMO_SLUG);
    await page.getByLabel("Time zone").selectOption("Europe/Madrid");
    await page.getByLabel("Currency").selectOption("EUR");
    await page.getByLabel("Your e-mail").fill(email);
    await page.getByLabel("Password").fill("a long passphrase 1");
    await page.getByRole("button", { name: "Create business" }).click();
    // 409: at the slug, which gets the focus
    await page.locator("#slug-err").filter({ hasText: "That address is taken" }).waitFor();
    expect(await page.getByLabel("Booking address").getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("slug");
    expect(await axe(page, ["body"])).toEqual([]);

    await page.getByLabel("Booking address").fill(`studio-${id}`);
    await page.getByRole("button", { name: "Create business" }).click();
    await expect.poll(() => page.url(), { timeout: 20_000 }).toBe(`${base}/app/setup`);
    await page
      .locator(".business")
      .filter({ hasText: `Studio ${id}` })
      .waitFor();

    // Developers, from the navigation
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Developers" }).click();
    await page.getByRole("heading", { name: "Developers", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "API keys" }).waitFor();

    // an API key: its secret once, with a copy button; it works; after "saved" it is gone for good
    await page.getByLabel("Name of the new key").fill("nightly sync");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = page.locator(".secret");
    await secret.filter({ hasText: "you will not see it again" }).waitFor();
    const key = (await secret.locator(".secret-value").textContent())!;
    expect(key).toMatch(/^sk_/);
    await secret.getByRole("button", { name: "Copy: secret API key" }).click();
    await secret.getByText("Copied to the clipboard.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    const viaKey = await fetch(`${base}/v1/admin/tenant`, { headers: { authorization: `Bearer ${key}` } });
    expect(viaKey.status).toBe(200);
    await secret.getByRole("button", { name: "I have saved it" }).click();
    await page.getByRole("list", { name: "API keys" }).getByText("nightly sync").waitFor();
    expect(await page.content()).not.toContain(key);
    // revoke it with the keyboard: the confirmation takes the focus on the safe choice, Escape puts it back
    const revoke = page.getByRole("button", { name: "Revoke key nightly sync" });
    await revoke.focus();
    await page.keyboard.press("Enter");
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await expect.poll(focused).toBe("Keep it");
    await page.keyboard.press("Escape");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
      .toBe("Revoke key nightly sync");
    await page.keyboard.press("Enter");
    await expect.poll(focused).toBe("Keep it");
    await page.keyboard.press("Shift+Tab");
    expect(await focused()).toBe("Yes, revoke");
    await page.keyboard.press("Enter");
    await page
      .getByRole("list", { name: "API keys" })
      .getByRole("listitem")
      .filter({ hasText: "nightly sync" })
      .getByText(/^revoked /)
      .waitFor();
    const revoked = await fetch(`${base}/v1/admin/tenant`, { headers: { authorization: `Bearer ${key}` } });
    expect(revoked.status).toBe(401);

    // a webhook endpoint on the loopback receiver: its secret once; a test event arrives in the delivery log
    await page.getByLabel("Endpoint URL").fill(hookUrl);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.locator(".secret").filter({ hasText: "signing secret now" }).waitFor();
    expect(await page.locator(".secret .secret-value").textContent()).toMatch(/^whsec_/);
    const endpoint = page
      .getByRole("list", { name: "Webhook endpoints" })
      .getByRole("listitem")
      .filter({ hasText: hookUrl });
    await endpoint.getByRole("button", { name: "Send test event" }).click();
    const queued = endpoint.getByRole("status").filter({ hasText: /Test event evt_\w+ queued/ });
    await queued.waitFor();
    const eventId = (await queued.textContent())!.match(/evt_\w+/)![0];
    const log = page.getByRole("list", { name: `Delivery log of ${hookUrl}` });
    await log
      .getByRole("listitem")
      .filter({ hasText: eventId })
      .filter({ hasText: "Delivered" })
      .waitFor({ timeout: 30_000 });
    expect(await log.getByRole("listitem").filter({ hasText: eventId }).textContent()).toContain("ping");
    expect(received.some((r) => r.headers["webhook-id"] === eventId && JSON.parse(r.body).type === "ping")).toBe(true);

    // the outbox: no dead letters; then one (the test event, as if its last retry had failed) and "retry" on it
    const outboxPanel = page.getByRole("region", { name: "Outbox" });
    await outboxPanel.getByRole("button", { name: "Dead" }).click();
    await outboxPanel.getByText("Nothing waiting: every side effect has gone out.").waitFor();
    await sql("UPDATE outbox SET status = 'dead', attempts = 3, last_error = 'HTTP 5xx' WHERE id = $1", [eventId]);
    await outboxPanel.getByRole("button", { name: "Refresh" }).click();
    const outbox = outboxPanel.getByRole("list", { name: "Outbox" });
    const dead = outbox.getByRole("listitem").filter({ hasText: eventId });
    await dead.filter({ hasText: "HTTP 5xx" }).getByText("Dead", { exact: true }).waitFor();
    await dead.getByRole("button", { name: /^Retry: / }).click();
    await dead.getByText("Pending", { exact: true }).waitFor();
    expect(await dead.getByRole("button", { name: /^Retry: / }).count()).toBe(0);
    const [row] = await sql<{ status: string }>("SELECT status FROM outbox WHERE id = $1", [eventId]);
    expect(["pending", "done"]).toContain(row!.status);

    // the embed generator: the exact snippet, and the real widget in the preview (under the page's CSP)
    await page.getByLabel("Floating button").check();
    await page.getByLabel("Widget language").selectOption("de");
    const script = page.locator(".snippet pre").last();
    await expect
      .poll(() => script.textContent())
      .toBe(
        `<script src="${base}/widget.js" data-tenant="studio-${id}" data-floating data-locale="de" async></script>`,
      );
    const preview = page.frameLocator("iframe.preview");
    await preview.locator("[data-bookra-fab]").filter({ hasText: "Jetzt buchen" }).waitFor({ timeout: 20_000 });
    await page.getByLabel("Popup, from a button").check();
    await page.getByLabel("Button text").fill("Reserve");
    await page.locator(".snippet pre").filter({ hasText: "data-bookra-popup" }).waitFor();
    expect(await page.locator(".snippet pre").first().textContent()).toBe(
      '<button type="button" data-bookra-popup>Reserve</button>',
    );
    await preview.getByRole("button", { name: "Reserve" }).waitFor();
    // own colours: a <style> in the snippet; the preview gets them through the CSSOM (its CSP refuses inline styles)
    await page.getByLabel("Use other colours than the business's branding").check();
    await page.getByLabel("Main colour").fill("#112233");
    await page.locator(".snippet pre").filter({ hasText: "--bookra-primary: #112233;" }).waitFor();
    await expect
      .poll(() =>
        page
          .locator("iframe.preview")
          .evaluate((f: HTMLIFrameElement) =>
            f.contentDocument?.documentElement.style.getPropertyValue("--bookra-primary"),
          ),
      )
      .toBe("#112233");
    await page.getByLabel("Use other colours than the business's branding").uncheck();
    await page.getByRole("button", { name: "Copy: the whole snippet" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `<button type="button" data-bookra-popup>Reserve</button>\n<script src="${base}/widget.js" data-tenant="studio-${id}" data-locale="de" async></script>`,
    );

    expect(await axe(page, ["main"])).toEqual([]);
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole("button", { name: "Menu" }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(unexpected(errors)).toEqual([]);
    await context.close();
  });

  it("a manager sees webhooks, outbox and embed code but no API keys section (which the API would refuse)", async () => {
    // an owner (signed up through the API) invites a manager; the manager accepts in the UI from the e-mailed link
    const base = w.stack.baseUrl;
    const ownerEmail = `owner-${unique()}@example.com`;
    await signUpViaApi(base, ownerEmail, "owner passphrase 1");
    const page = await w.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const { errors } = watch(page);
    await page.goto(`${base}/app/sign-in`);
    await signInViaUi(page, ownerEmail, "owner passphrase 1");
    await expect.poll(() => page.url()).toBe(`${base}/app/today`);
    const managerEmail = `manager-${unique()}@example.com`;
    const invited = await page.evaluate(async (email) => {
      const res = await fetch("/v1/admin/invitations", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email, role: "manager" }),
      });
      return res.status;
    }, managerEmail);
    expect(invited).toBe(201);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to your business" }).waitFor();

    const link = await mailboxLink(base, managerEmail, "accept-invitation");
    await page.goto(link);
    await page.getByRole("heading", { name: "Join the team" }).waitFor();
    expect(await axe(page, ["body"])).toEqual([]);
    await page.getByLabel("Your name").fill("Mara Manager");
    await page.getByLabel("Password").fill("manager passphrase 1");
    await page.getByRole("button", { name: "Join" }).click();
    await expect.poll(() => page.url()).toBe(`${base}/app/today`);

    await page.goto(`${base}/app/developers`);
    await page.getByRole("heading", { name: "Webhook endpoints" }).waitFor();
    await page.getByRole("heading", { name: "Outbox" }).waitFor();
    await page.getByRole("heading", { name: "Embed the booking widget" }).waitFor();
    expect(await page.getByRole("heading", { name: "API keys" }).count()).toBe(0);
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });
});

/** The newest link of `page` e-mailed to `email`, read from the local dev mailbox once the outbox has sent it. */
async function mailboxLink(base: string, email: string, page: "reset-password" | "accept-invitation") {
  let link: string | undefined;
  await expect
    .poll(
      async () => {
        const html = await (await fetch(`${base}/dev/mailbox`)).text();
        const article = html.split("<article>").find((a) => a.includes(`to ${email}`) && a.includes(`/app/${page}#`));
        link = article?.match(new RegExp(`https?://[^"\\s<]+/app/${page}#token=[0-9a-f]+`))?.[0];
        return link;
      },
      { timeout: 30_000 },
    )
    .toBeTruthy();
  return link!;
}

describe("forgot password", () => {
  it("asks for a link (the same answer for any address), sets a new password from the e-mail and signs in with it", async () => {
    const base = w.stack.baseUrl;
    const email = `forgot-${unique()}@example.com`;
    await signUpViaApi(base, email, "old passphrase 12");
    const page = await w.browser.newPage({ viewport: { width: 360, height: 740 } });
    const { errors } = watch(page);

    // an unknown address gets the same message as a known one
    const ask = async (address: string) => {
      await page.goto(`${base}/app/sign-in`);
      await page.getByRole("button", { name: "Forgot password?" }).click();
      await page.getByRole("heading", { name: "Reset your password" }).waitFor();
      await page.getByLabel("E-mail").fill(address);
      await page.getByRole("button", { name: "Send the link" }).click();
      const said = page.getByRole("status").filter({ hasText: "we have sent it a link" });
      await said.waitFor();
      return (await said.textContent())!.replace(address, "<address>");
    };
    const unknown = await ask(`nobody-${unique()}@example.com`);
    expect(await axe(page, ["body"])).toEqual([]);
    expect(await ask(email)).toBe(unknown);

    const link = await mailboxLink(base, email, "reset-password");
    await page.goto(link);
    await page.getByRole("heading", { name: "Set a new password" }).waitFor();
    expect(await axe(page, ["body"])).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByRole("textbox", { name: "New password" }).fill("short");
    await page.getByRole("button", { name: "Save password" }).click();
    await page.locator("#password-err").filter({ hasText: "at least 10 characters" }).waitFor();
    await page.getByRole("textbox", { name: "New password" }).fill("new passphrase 34");
    await page.getByRole("button", { name: "Save password" }).click();
    await page.getByRole("status").filter({ hasText: "Your password has changed" }).waitFor();
    expect(page.url()).toBe(`${base}/app/sign-in`);

    await signInViaUi(page, email, "new passphrase 34");
    await expect.poll(() => page.url()).toBe(`${base}/app/today`);
    const old = await fetch(`${base}/v1/auth/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email, password: "old passphrase 12" }),
    });
    expect(old.status).toBe(401);

    // the link is single use
    await page.goto(link);
    await page.getByRole("textbox", { name: "New password" }).fill("another passphrase 56");
    await page.getByRole("button", { name: "Save password" }).click();
    await page.getByRole("alert").filter({ hasText: "expired or has already been used" }).waitFor();
    expect(unexpected(errors)).toEqual([]);
    await page.close();
  });
});
