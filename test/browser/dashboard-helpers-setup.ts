// Helpers of the Setup page's browser test: a fresh business with its owner (through the real signup), calls to the
// admin API with its key, and signing in through the dashboard's own form.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { expect } from "vitest";

export interface Owner {
  baseUrl: string;
  email: string;
  password: string;
  slug: string;
  key: string;
}

export async function freshOwner(baseUrl: string, timezone: string): Promise<Owner> {
  const slug = `setup-${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const email = `owner@${slug}.example`;
  const res = await fetch(`${baseUrl}/v1/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      businessName: "Fresh Salon",
      slug,
      timezone,
      currency: "EUR",
      ownerEmail: email,
      ownerPassword: password,
    }),
  });
  expect(res.status).toBe(201);
  return { baseUrl, email, password, slug, key: ((await res.json()) as { apiKey: string }).apiKey };
}

/** An admin API call with the owner's key; the body parsed (null for a 204). */
export async function adminCall(o: Owner, method: string, path: string, body?: unknown) {
  const res = await fetch(`${o.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${o.key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as any) };
}

/** Opens `/app<path>`, signs in on the page it is sent to, and waits to be back on `path`. */
export async function signInAt(page: Page, o: Owner, path: string): Promise<void> {
  await page.goto(`${o.baseUrl}/app${path}`);
  await page.getByLabel("E-mail").fill(o.email);
  await page.getByLabel("Password").fill(o.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`/app${path}`);
}
