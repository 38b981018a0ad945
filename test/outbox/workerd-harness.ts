// Workers under test that can be crashed: the real bundle in workerd (wrangler dev) on a given database, started and
// SIGKILLed by the test, plus just enough of the HTTP API to set up a business with a webhook endpoint.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, vi } from "vitest";
import { freePort } from "../../scripts/lib/postgres.ts";
import { processStats } from "../../scripts/lib/proc.ts";
import { startWorker } from "../../scripts/lib/stack.ts";
import { contractChecker } from "../helpers/contract.ts";
import type { TestDatabase } from "../helpers/db.ts";
import { TEST_CRON_EVERY_MS } from "../helpers/worker.ts";

export interface CrashableWorker {
  baseUrl: string;
  logs: string[];
  api(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any }>;
  /**
   * A crash: the whole process group gets SIGKILL, in-flight batches and queued messages die with it. Resolves once no
   * process of the group can run any more (gone, or a zombie).
   */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCrashableWorker(
  database: TestDatabase,
  vars: Record<string, string>,
  /** wrangler.toml's crons fire every this many ms (the local cron driver), as Cloudflare would fire them. */
  cronEveryMs = TEST_CRON_EVERY_MS,
): Promise<CrashableWorker> {
  const dir = mkdtempSync(join(tmpdir(), "bookra-outbox-"));
  const logs: string[] = [];
  const worker = await startWorker({
    dataDir: dir,
    port: await freePort(),
    appUrl: database.appUrl,
    proxyPort: database.proxyPort,
    // Every worker started on one database shares its secrets, as the deployments of one environment do: a second
    // worker after a crash must read the webhook secrets and manage tokens the first one wrote.
    vars: { ...secretsOf(database), ...vars },
    log: (l) => logs.push(l),
    cron: { everyMs: cronEveryMs },
  });
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  return {
    baseUrl: worker.baseUrl,
    logs,
    api: async (method, path, body, key) => {
      const headers: Record<string, string> = body === undefined ? {} : { "content-type": "application/json" };
      if (key) headers.authorization = `Bearer ${key}`;
      const res = await fetch(`${worker.baseUrl}${path}`, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      // Every answer must match the published OpenAPI document (test/helpers/contract.ts).
      contractChecker().check(method, path, res.status, res.headers.get("content-type"), text);
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed as any };
    },
    kill: async () => {
      void worker.cron?.stop();
      const group = worker.child.pid;
      if (group !== undefined) {
        process.kill(-group, "SIGKILL");
        await vi.waitFor(() => expect(liveMembers(group)).toEqual([]), { timeout: 30_000, interval: 20 });
      }
      cleanup();
    },
    stop: async () => {
      await worker.stop();
      cleanup();
    },
  };
}

const secretsByDatabase = new Map<string, Record<string, string>>();
function secretsOf(database: TestDatabase): Record<string, string> {
  let secrets = secretsByDatabase.get(database.name);
  if (!secrets) {
    secrets = {
      MANAGE_TOKEN_SECRET: randomBytes(32).toString("hex"),
      DATA_ENCRYPTION_KEYS: `t1:${randomBytes(32).toString("base64")}`,
      PASSWORD_PEPPER: `t1:${randomBytes(32).toString("hex")}`,
    };
    secretsByDatabase.set(database.name, secrets);
  }
  return secrets;
}

/** Processes of a process group that are not yet dead or zombies (Linux /proc). */
function liveMembers(group: number): number[] {
  return processStats()
    .filter((p) => p.pgrp === group && p.state !== "Z" && p.state !== "X")
    .map((p) => p.pid);
}

export interface Business {
  tenantId: string;
  slug: string;
  apiKey: string;
  serviceId: string;
  staffId: string;
  endpoints: { id: string; secret: string; path: string }[];
}

/** Signs up, adds one free service and one stylist open every day 08:00–20:00, and webhook endpoints. */
export async function createBusiness(
  w: CrashableWorker,
  receiverUrl: string,
  endpointPaths: string[],
): Promise<Business> {
  const slug = `o-${Math.random().toString(36).slice(2, 10)}`;
  const signup = await w.api("POST", "/v1/signup", {
    businessName: `Outbox ${slug}`,
    slug,
    timezone: "UTC",
    currency: "EUR",
    ownerEmail: `${slug}@example.com`,
    ownerPassword: "long enough password",
  });
  if (signup.status !== 201) throw new Error(`signup ${signup.status} ${JSON.stringify(signup.body)}`);
  const key = signup.body.apiKey as string;
  const svc = await w.api(
    "POST",
    "/v1/admin/services",
    { name: "Cut", durationMinutes: 30, price: { amount: 0, currency: "EUR" }, slotStepMinutes: 30, staffIds: [] },
    key,
  );
  const weeklyHours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "08:00", end: "20:00" }));
  const staff = await w.api(
    "POST",
    "/v1/admin/staff",
    { name: "Ana", email: `ana-${slug}@example.com`, commissionBps: 0, serviceIds: [svc.body.id], weeklyHours },
    key,
  );
  if (staff.status !== 201) throw new Error(`staff ${staff.status} ${JSON.stringify(staff.body)}`);
  const endpoints = [];
  for (const path of endpointPaths) {
    const ep = await w.api("POST", "/v1/admin/webhook-endpoints", { url: `${receiverUrl}${path}` }, key);
    if (ep.status !== 201) throw new Error(`endpoint ${ep.status} ${JSON.stringify(ep.body)}`);
    endpoints.push({ id: ep.body.id as string, secret: ep.body.secret as string, path });
  }
  return {
    tenantId: signup.body.tenant.id,
    slug,
    apiKey: key,
    serviceId: svc.body.id,
    staffId: staff.body.id,
    endpoints,
  };
}

/** The n-th free half hour from tomorrow 08:00 UTC on (24 a day). */
export function slot(n: number): string {
  const day = new Date();
  day.setUTCHours(8, 0, 0, 0);
  // Three days ahead, not one: a start just over 24 h away would get its reminder (booking.reminder_due) from the
  // cron while a test runs, one outbox row more than the test booked, depending on the time of day it runs.
  const start = day.getTime() + 86_400_000 * (3 + Math.floor(n / 24)) + (n % 24) * 30 * 60_000;
  return new Date(start).toISOString().replace(".000Z", "Z");
}

export async function book(w: CrashableWorker, b: Business, n: number) {
  return w.api("POST", `/v1/public/${b.slug}/bookings`, {
    serviceId: b.serviceId,
    staffId: b.staffId,
    start: slot(n),
    customer: { name: `Customer ${n}`, email: `c${n}-${b.slug}@example.com` },
  });
}

export async function runLimited<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await fn(i);
    }),
  );
  return results;
}
