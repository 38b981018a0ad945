// Helpers for the Bookings and Customers pages' browser tests: a business of its own on the running stack (the demo
// seed under another slug, with an owner password the test knows), bookings made through the public API, and signing
// in through the dashboard's own form.
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { seedDemo } from "../../scripts/lib/seed.ts";

export interface Business {
  slug: string;
  apiKey: string;
  owner: { email: string; password: string };
  services: { id: string; name: string }[];
}

export async function seedBusiness(baseUrl: string): Promise<Business> {
  const slug = `bk-${Math.random().toString(36).slice(2, 10)}`;
  const seeded = await seedDemo(baseUrl, slug, { ownerPassword: `pw-${Math.random().toString(36).slice(2)}-long` });
  const catalog = (await (await fetch(`${baseUrl}/v1/public/${slug}/catalog`)).json()) as {
    services: Business["services"];
  };
  return { slug, apiKey: seeded.apiKey, owner: seeded.owner, services: catalog.services };
}

/** The free starts of a service over the next days (from the public availability). */
export async function freeStarts(baseUrl: string, b: Business, serviceId: string, staffId?: string): Promise<string[]> {
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(
    `${baseUrl}/v1/public/${b.slug}/availability?serviceId=${serviceId}&from=${day(2)}&to=${day(12)}${staffId ? `&staffId=${staffId}` : ""}`,
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { slots: { start: string }[] }).slots.map((s) => s.start);
}

/** A booking made as a customer would (the public API): its id and customer id. */
export async function book(
  baseUrl: string,
  b: Business,
  input: { serviceId: string; start: string; customer: { name: string; email: string; phone?: string } },
): Promise<{ id: string; customerId: string }> {
  const res = await fetch(`${baseUrl}/v1/public/${b.slug}/bookings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { booking: { id: string } };
  expect(res.status, JSON.stringify(body)).toBe(201);
  const got = (await admin(baseUrl, b, "GET", `/v1/admin/bookings/${body.booking.id}`)) as {
    customer: { id: string };
  };
  return { id: body.booking.id, customerId: got.customer.id };
}

/** An admin API call with the business's key; the answer's JSON (a non-2xx fails the test). */
export async function admin(baseUrl: string, b: Business, method: string, path: string, body?: unknown) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${b.apiKey}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await res.json();
  expect(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`).toBe(true);
  return json as unknown;
}

/** Signs in through the dashboard's form as the business's owner and waits for the app to show `path`. */
export async function signInAsOwner(page: Page, baseUrl: string, b: Business, path: string): Promise<void> {
  await page.goto(`${baseUrl}/app${path}`);
  await page.getByLabel("E-mail").fill(b.owner.email);
  await page.getByLabel("Password").fill(b.owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe(`/app${path}`);
}
