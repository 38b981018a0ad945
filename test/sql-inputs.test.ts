// The typed inputs of the booking functions (migrations/0014): the zod schema that builds the JSON and the composite
// type the database fills from it declare the same fields, types and nullability; a key renamed in a call makes the
// database raise (BKI01) and writes nothing. Also: the booking bounds exist once (booking_bounds(), copied by
// BOOKING_BOUNDS), and event ids written in SQL have the worker's format.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BOOKING_BOUNDS } from "../worker/src/domain/limits.ts";
import { ID_ALPHABET, looksLikeId, newId } from "../worker/src/lib/ids.ts";
import { SqlBookingInput } from "../worker/src/services/bookings/sql-input.ts";
import { useTestApp } from "./helpers/app.ts";
import { insertRawBooking } from "./helpers/rows.ts";
import { createSalon, customer, type Salon } from "./helpers/salon.ts";
import { sqlTraffic } from "./helpers/sql-traffic.ts";

const t = useTestApp();
beforeEach(() => {
  t.clock.now = new Date("2027-03-01T08:00:00Z");
});

/** Path (`hold_limits.per_email`) → SQL type, "composite" for a nested type, and whether it may be null. */
type Fields = Record<string, { type: string; nullable: boolean }>;

type JsonSchema = {
  type?: string | string[];
  format?: string;
  maximum?: number;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
};

/** What the zod schema sends, in SQL's words: the JSON the database will read. */
function zodFields(schema: JsonSchema, prefix = "", out: Fields = {}): Fields {
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    // zod writes a nullable field as `anyOf: [X, {type: "null"}]`, or as `type: [X, "null"]` for a plain type.
    const nonNull = field.anyOf?.find((s) => s.type !== "null");
    const types = Array.isArray(field.type) ? field.type : [];
    const s = nonNull ?? (types.length ? { ...field, type: types.find((x) => x !== "null") } : field);
    const nullable = nonNull !== undefined || types.includes("null");
    const path = prefix + name;
    let type: string;
    if (s.type === "object" && s.properties) {
      type = "composite";
      zodFields(s, `${path}.`, out);
    } else if (s.type === "object") type = "jsonb";
    else if (s.type === "string") type = s.format === "date-time" ? "timestamp with time zone" : "text";
    else if (s.type === "integer") type = s.maximum === 2 ** 31 - 1 ? "integer" : "bigint";
    else type = String(s.type);
    out[path] = { type, nullable };
  }
  return out;
}

/** What the composite type declares (pg_attribute), nested types included; nullability is to_booking_input()'s. */
async function sqlTypeFields(type: string, prefix = "", out: Record<string, string> = {}) {
  const attrs = await t.database.admin<{ name: string; type: string; composite: boolean; typname: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, ft.typtype = 'c' AS composite,
            ft.typname AS typname
     FROM pg_attribute a JOIN pg_type ft ON ft.oid = a.atttypid
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [type],
  );
  for (const a of attrs) {
    out[prefix + a.name] = a.composite ? "composite" : a.type;
    if (a.composite) await sqlTypeFields(a.typname, `${prefix}${a.name}.`, out);
  }
  return out;
}

/** Runs fn with every statement the app sends passed through rewrite first (as if the worker had built it so). */
async function rewritingSql<T>(rewrite: (text: string) => string, fn: () => Promise<T>): Promise<T> {
  return (await sqlTraffic(t.database.db, fn, rewrite)).result;
}

const INPUT_LITERAL = /to_booking_input\('((?:[^']|'')*)'::jsonb\)/;

let s: Salon;
/** A booking_input exactly as the worker sent it for a real booking (a hold with an Idempotency-Key: every field). */
let sent: Record<string, unknown>;
beforeAll(async () => {
  s = await createSalon(t, { staff: 2, connected: true, service: { deposit: { percent: 20 } } });
  const texts: string[] = [];
  const res = await rewritingSql(
    (text) => {
      texts.push(text);
      return text;
    },
    () =>
      t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
        body: { serviceId: s.serviceId, staffId: s.staffIds[0], start: "2027-03-02T09:00:00Z", customer: customer() },
        headers: { "idempotency-key": "sql-inputs-5c1e7a9b3d2f4e6a8c0b" },
      }),
  );
  expect(res.status).toBe(201);
  const literal = texts.map((x) => INPUT_LITERAL.exec(x)?.[1]).find((x) => x !== undefined);
  sent = JSON.parse(literal!.replaceAll("''", "'"));
});

async function sqlError(input: unknown): Promise<{ code?: string; message: string }> {
  try {
    await t.database.admin("SELECT to_booking_input($1::jsonb)", [JSON.stringify(input)]);
  } catch (err) {
    return err as { code?: string; message: string };
  }
  throw new Error("to_booking_input() accepted it");
}

/** A copy of `input` with `edit` applied to the object holding `path`'s last key. */
function edited(
  input: Record<string, unknown>,
  path: string,
  edit: (obj: Record<string, unknown>, key: string) => void,
) {
  const copy = structuredClone(input);
  const keys = path.split(".");
  let obj = copy;
  for (const k of keys.slice(0, -1)) obj = obj[k] as Record<string, unknown>;
  edit(obj, keys.at(-1)!);
  return copy;
}

describe("booking_input and SqlBookingInput", () => {
  it("declare the same fields with the same SQL types, nested types included (drift either way fails)", async () => {
    const fromZod = zodFields(SqlBookingInput.toJSONSchema({ io: "input" }) as JsonSchema);
    const fromSql = await sqlTypeFields("booking_input");
    expect(Object.fromEntries(Object.entries(fromZod).map(([k, v]) => [k, v.type]))).toEqual(fromSql);
    expect(Object.keys(fromSql)).toContain("hold_limits.address_hash");
    expect(Object.keys(fromSql).length).toBeGreaterThan(25);
  });

  it("agree on which fields may be null: the database refuses a null exactly where the schema does", async () => {
    const fields = zodFields(SqlBookingInput.toJSONSchema({ io: "input" }) as JsonSchema);
    expect(SqlBookingInput.safeParse(sent).success).toBe(true);
    await t.database.admin("SELECT to_booking_input($1::jsonb)", [JSON.stringify(sent)]);
    for (const [path, { nullable }] of Object.entries(fields)) {
      const input = edited(sent, path, (obj, key) => {
        obj[key] = null;
      });
      expect(SqlBookingInput.safeParse(input).success, path).toBe(nullable);
      if (nullable) await t.database.admin("SELECT to_booking_input($1::jsonb)", [JSON.stringify(input)]);
      else
        expect(await sqlError(input), path).toMatchObject({ code: "BKI01", message: `booking_input: ${path} is null` });
    }
  });

  it("raise BKI01 for every declared key left out or renamed, and for an undeclared one", async () => {
    for (const path of Object.keys(await sqlTypeFields("booking_input"))) {
      const missing = edited(sent, path, (obj, key) => {
        delete obj[key];
      });
      expect(await sqlError(missing), path).toMatchObject({
        code: "BKI01",
        message: `booking_input: missing key ${path}`,
      });
      const renamed = edited(sent, path, (obj, key) => {
        obj[key.replaceAll("_", "")] = obj[key];
        delete obj[key];
      });
      const err = await sqlError(renamed);
      expect(err.code, path).toBe("BKI01");
      expect(err.message, path).toContain(`missing key ${path}`);
    }
    const extra = await sqlError({ ...sent, staffid: sent.staff_id });
    expect(extra).toMatchObject({ code: "BKI01", message: "booking_input: unknown key staffid" });
  });
});

describe("a key renamed in the worker's call", () => {
  const renameStaffId = (text: string) =>
    text.includes("to_booking_input(") ? text.replace('"staff_id":', '"staffid":') : text;

  const bookings = async () =>
    (await t.database.admin("SELECT count(*)::int AS n FROM bookings WHERE tenant_id = $1", [s.tenant.id]))[0]!.n;

  it("makes book_first_free() (schedule loaded) and book() (schedule known) raise; nothing is written", async () => {
    const before = await bookings();
    const outbox = await t.database.admin("SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1", [s.tenant.id]);
    // The first booking of the second staff member loads the schedule (book_first_free()); the next one knows it
    // (book()). Both statements carry the renamed key.
    const called: string[] = [];
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    for (const start of ["2027-03-03T09:00:00Z", "2027-03-03T11:00:00Z"]) {
      const res = await rewritingSql(
        (text) => {
          const fn = /SELECT (book_first_free|book)\(to_booking_input/.exec(text)?.[1];
          if (fn) called.push(fn);
          return renameStaffId(text);
        },
        () =>
          t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
            body: { serviceId: s.serviceId, staffId: s.staffIds[1], start, customer: customer(start.slice(11, 13)) },
          }),
      );
      expect(res.status, start).toBe(500);
      expect(res.body.error.code).toBe("INTERNAL");
    }
    expect(called).toEqual(["book_first_free", "book"]);
    // The 500 is logged with the database's account of the bug (the WebSocket path's pg error, then the HTTP path's).
    const messages = logged.mock.calls.map((c) => JSON.parse(String(c[0])).message as string);
    logged.mockRestore();
    expect(messages).toEqual([
      "error: booking_input: missing key staff_id; unknown key staffid",
      "NeonDbError: booking_input: missing key staff_id; unknown key staffid",
    ]);
    expect(await bookings()).toBe(before);
    expect(await t.database.admin("SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1", [s.tenant.id])).toEqual(
      outbox,
    );
    // The same calls unchanged book (so it was the key that failed them).
    const ok = await t.request("POST", `/v1/public/${s.tenant.slug}/bookings`, {
      body: { serviceId: s.serviceId, staffId: s.staffIds[1], start: "2027-03-03T09:00:00Z", customer: customer(9) },
    });
    expect(ok.status).toBe(201);
  });

  it("makes insert_booking() itself raise, with the problem named", async () => {
    const input = { ...sent, staffid: sent.staff_id, id: newId("bkg"), event_id: newId("evt") };
    delete (input as Record<string, unknown>).staff_id;
    const err = await t.database
      .admin("SELECT set_config('app.tenant_id', $1, false), insert_booking(to_booking_input($2::jsonb))", [
        s.tenant.id,
        JSON.stringify(input),
      ])
      .then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
    expect(err).toMatchObject({ code: "BKI01", message: "booking_input: missing key staff_id; unknown key staffid" });
  });
});

describe("booking_bounds()", () => {
  it("is what the worker's BOOKING_BOUNDS say", async () => {
    const [b] = await t.database.admin(
      `SELECT extract(epoch FROM max_blocked)::int / 3600 AS max_blocked_hours, max_advance_days, schedule_cover_days
       FROM booking_bounds()`,
    );
    expect({
      maxBlockedHours: b!.max_blocked_hours,
      maxAdvanceDays: b!.max_advance_days,
      scheduleCoverDays: b!.schedule_cover_days,
    }).toEqual(BOOKING_BOUNDS);
  });

  it("is what the CHECKs and the scheduling functions read, instead of literals", async () => {
    const checks = await t.database.admin<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
       WHERE conname IN ('bookings_blocked_at_most_48h', 'services_max_advance_days_check') ORDER BY conname`,
    );
    expect(checks.map((c) => c.def)).toEqual([
      "CHECK (((blocked_until - blocked_from) <= (booking_bounds()).max_blocked))",
      "CHECK (((max_advance_days >= 1) AND (max_advance_days <= (booking_bounds()).max_advance_days)))",
    ]);
    const bodies = await t.database.admin<{ name: string; src: string }>(
      `SELECT proname AS name, prosrc AS src FROM pg_proc
       WHERE proname IN ('window_bookings', 'expire_holds_in_way', 'least_booked_first')`,
    );
    expect(bodies).toHaveLength(3);
    for (const f of bodies) {
      expect(f.src, f.name).toContain("(booking_bounds()).max_blocked");
      expect(f.src, f.name).not.toMatch(/48 hours|730|735/);
    }
  });
});

describe("event ids", () => {
  const pattern = new RegExp(`^evt_[${ID_ALPHABET}]{20}$`);

  it("from SQL (new_event_id(), expire_holds()) have the worker's format and use its whole alphabet", async () => {
    const fromSql = (
      await t.database.admin<{ id: string }>("SELECT new_event_id() AS id FROM generate_series(1, 400)")
    ).map((r) => r.id);
    const fromWorker = Array.from({ length: 400 }, () => newId("evt"));
    for (const ids of [fromSql, fromWorker]) {
      for (const id of ids) {
        expect(id).toMatch(pattern);
        expect(looksLikeId("evt", id)).toBe(true);
      }
      expect(new Set(ids).size).toBe(ids.length);
      // 8,000 characters: each of the 32 appears (a hex digest would never show g–z).
      expect(new Set(ids.join("").replaceAll("evt_", "")).size).toBe(ID_ALPHABET.length);
    }

    await insertRawBooking(t, s.tenant, s.staffIds[0]!, s.serviceId, "pending_payment", 30);
    const [held] = await t.database.admin<{ id: string }>(
      "SELECT id FROM bookings WHERE tenant_id = $1 AND status = 'pending_payment' AND source = 'admin'",
      [s.tenant.id],
    );
    const [written] = await t.database.admin<{ ids: string[] }>(
      "SELECT expire_holds($1::text[], $2::timestamptz) AS ids",
      [[held!.id], new Date(t.clock.now.getTime() + 3 * 86_400_000)],
    );
    expect(written!.ids).toHaveLength(1);
    expect(written!.ids[0]).toMatch(pattern);
    const rows = await t.database.admin("SELECT event_type FROM outbox WHERE id = $1", [written!.ids[0]]);
    expect(rows).toEqual([{ event_type: "booking.expired" }]);
  });
});
