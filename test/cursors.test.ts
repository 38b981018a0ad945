// Crafted cursors on every paginated route: a cursor the API did not issue is a 400 VALIDATION_FAILED, never a 500
// and never a silent first page.
import { describe, expect, it } from "vitest";
import { useTestApp } from "./helpers/app.ts";
import { createSalon } from "./helpers/salon.ts";

const t = useTestApp();

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/** Admin bookings: `[startsAt ms, id]`. */
const BOOKING_CURSORS = [
  '[1e400,"x"]', // Infinity: new Date() is invalid and toISOString() throws
  '[8.64e15,"x"]', // year 275760: valid in JS, not a timestamp Postgres reads
  '[-8.64e15,"x"]',
  '[-1,"bkg_x"]',
  '[1.5,"bkg_x"]',
  '[0,"x\\u0000"]',
  '[0,""]',
  '[0,{"a":1}]',
  "[0]",
  '{"at":0,"id":"x"}',
  "null",
  "1",
].map(b64);

/** Keyset lists: `{ at: ISO instant with microseconds, id }`; overrides: `{ date }`. */
const KEYSET_CURSORS = [
  '{"at":"0000-01-01T00:00:00.000000Z","id":"x"}',
  '{"at":"2027-02-30T00:00:00.000000Z","id":"x"}',
  '{"at":"2027-02-28T24:00:00.000000Z","id":"x"}',
  '{"at":"2027-02-28T23:60:00.000000Z","id":"x"}',
  '{"at":"2027-03-01T00:00:00.000000Z","id":"x\\u0000"}',
  '{"at":"2027-03-01T00:00:00.000000Z","id":"x\'; --"}',
  '{"at":1e400,"id":"x"}',
  '{"date":"0000-01-01"}',
  '{"date":"2027-02-30"}',
  "[1e400]",
].map(b64);

const GARBAGE = ["not-a-cursor", "%00", "%E2%80%AE", "____", "e30", "W10", "x".repeat(200)];

describe("crafted cursors", () => {
  it("are a 400 VALIDATION_FAILED on every route that takes one", async () => {
    const s = await createSalon(t);
    const staffId = s.staffIds[0]!;
    const lists = [
      "/v1/admin/bookings",
      "/v1/admin/staff",
      "/v1/admin/services",
      "/v1/admin/api-keys",
      "/v1/admin/webhook-endpoints",
      "/v1/admin/outbox",
      `/v1/admin/staff/${staffId}/time-off`,
      `/v1/admin/staff/${staffId}/overrides`,
    ];
    const answers: string[] = [];
    for (const path of lists) {
      const cursors = [...(path === "/v1/admin/bookings" ? BOOKING_CURSORS : KEYSET_CURSORS), ...GARBAGE];
      for (const cursor of cursors) {
        const res = await t.request("GET", `${path}?cursor=${cursor}`, { key: s.tenant.apiKey });
        answers.push(`${path} ${cursor} → ${res.status} ${res.body?.error?.code}`);
      }
    }
    expect(answers.filter((a) => !a.endsWith("→ 400 VALIDATION_FAILED"))).toEqual([]);
  });

  it("still accepts the cursors the API issues", async () => {
    const s = await createSalon(t, { staff: 3 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.request("GET", `/v1/admin/staff?limit=1${cursor ? `&cursor=${cursor}` : ""}`, {
        key: s.tenant.apiKey,
      });
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((m: { id: string }) => m.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...s.staffIds].sort());
  });
});
