// Fuzzes every operation of /openapi.json in process against the real Postgres: path params, query params (cursors,
// dates, limits, garbage), headers (Idempotency-Key, Authorization, Content-Type, X-Request-Id) and JSON bodies built
// from the operation's own schemas, then mangled. Whatever comes in: no 5xx, and every error is the error model.
import fc from "fast-check";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../worker/src/app.ts";
import { STATUS_BY_CODE } from "../worker/src/errors.ts";
import { ErrorResponse } from "../worker/src/schemas/common.ts";
import { type TestTenant, useTestApp } from "./helpers/app.ts";
import { createSalon, customer } from "./helpers/salon.ts";

const t = useTestApp();
/** Fixed, so a failure replays on any day: fast-check prints the seed and path, the clock never moves. */
const SEED = 20_261_130;
const NOW = new Date("2027-03-01T08:00:00Z");
/** Requests per operation (any part hostile) and per parameter (only it hostile): about 600 in all. */
const RUNS = 8;
const PARAM_RUNS = 6;

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  example?: unknown;
};
type Parameter = { name: string; in: "path" | "query" | "header"; schema: Schema; required?: boolean };
type Operation = {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
};
interface Fixture {
  tenant: TestTenant;
  other: TestTenant;
  ids: Record<string, string[]>;
  manageTokens: string[];
}

/** The document as the app serves it, read before the tests are collected so each operation is a named test. */
const docApp = createApp({
  database: () => {
    throw new Error("the OpenAPI document needs no database");
  },
  now: () => NOW,
  config: { manageTokenSecret: "unused-unused-unused-unused-unused-", publicBaseUrl: "http://bookra.test" },
});
const doc = (await (await docApp.request("/openapi.json")).json()) as {
  paths: Record<
    string,
    Record<string, { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components: { schemas: Record<string, Schema> };
};
const components = doc.components.schemas;
const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    parameters: op.parameters ?? [],
    body: op.requestBody?.content["application/json"]?.schema,
  })),
);
const fx = {} as Fixture;

beforeEach(() => {
  t.clock.now = NOW;
});

beforeAll(async () => {
  t.clock.now = NOW;
  const salon = await createSalon(t, { staff: 2 });
  const other = await createSalon(t);
  fx.tenant = salon.tenant;
  fx.other = other.tenant;
  const key = salon.tenant.apiKey;
  const bookings = [];
  for (const [i, start] of ["2027-03-02T09:00:00Z", "2027-03-02T11:00:00Z", "2027-03-03T10:00:00Z"].entries()) {
    const res = await t.request("POST", `/v1/public/${salon.tenant.slug}/bookings`, {
      body: { serviceId: salon.serviceId, staffId: salon.staffIds[0], start, customer: customer(`fuzz${i}`) },
    });
    bookings.push(res.body);
  }
  const foreign = await t.request("POST", `/v1/public/${other.tenant.slug}/bookings`, {
    body: { serviceId: other.serviceId, start: "2027-03-02T09:00:00Z", customer: customer("foreign") },
  });
  const staffId = salon.staffIds[0]!;
  const timeOff = await t.request("POST", `/v1/admin/staff/${staffId}/time-off`, {
    key,
    body: { start: "2027-03-05T09:00:00Z", end: "2027-03-05T12:00:00Z" },
  });
  await t.request("PUT", `/v1/admin/staff/${staffId}/overrides/2027-03-06`, { key, body: { intervals: [] } });
  const endpoint = await t.request("POST", "/v1/admin/webhook-endpoints", {
    key,
    body: { url: "https://example.com/hooks/bookra" },
  });
  // A second key for DELETE /api-keys/{id} to revoke: the fuzz must keep the one it signs in with.
  const spareKey = await t.request("POST", "/v1/admin/api-keys", { key, body: { name: "spare" } });
  const events = await t.database.admin<{ id: string }>("SELECT id FROM outbox WHERE tenant_id = $1 LIMIT 3", [
    salon.tenant.id,
  ]);
  fx.ids = {
    staff: [...salon.staffIds, ...other.staffIds],
    services: [salon.serviceId, other.serviceId],
    bookings: [...bookings.map((b) => b.booking.id), foreign.body.booking.id],
    "api-keys": [spareKey.body.id],
    "webhook-endpoints": [endpoint.body.id],
    outbox: events.map((e) => e.id),
    "time-off": [timeOff.body.id],
    date: ["2027-03-06", "2027-03-07"],
    tenant: [salon.tenant.slug, salon.tenant.slug, other.tenant.slug],
  };
  fx.manageTokens = [...bookings.map((b) => b.manageToken), foreign.body.manageToken];
  for (const [kind, values] of Object.entries(fx.ids)) expect([kind, values.every(Boolean)]).toEqual([kind, true]);
});

// ---------------------------------------------------------------------------------------------------------------
// Values

const ASCII = fc.string({ unit: "binary-ascii", maxLength: 40 }).map((s) => s.replace(/[\0\r\n]/g, ""));
const WEIRD_STRINGS = [
  "",
  " ",
  "\u0000",
  "%00",
  "%zz",
  "../../etc/passwd",
  "'; DROP TABLE bookings; --",
  "$$",
  "\\",
  '"',
  "\u202e",
  "😀",
  "x".repeat(5000),
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e400",
  "0x10",
  "2027-02-30",
  "2027-02-30T00:00:00Z",
  "0000-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00.000Z",
  "2027-03-01T24:00:00Z",
  "24:00",
  "99:99",
  "Mars/Olympus",
  "__proto__",
];
const INSTANTS = [
  "2027-03-02T09:00:00Z",
  "2027-03-02T10:00:00Z",
  "2027-03-02T13:15:00Z",
  "2027-03-03T09:00:00Z",
  "2027-03-01T07:00:00Z",
  "2027-06-01T09:00:00Z",
  "1970-01-01T00:00:00Z",
];
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

const garbage: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(1e308, -1e308, 2 ** 53, -(2 ** 53), 0.5, -1, 0),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(...WEIRD_STRINGS),
  fc.constant([]),
  fc.constant({}),
  fc.jsonValue({ maxDepth: 2 }),
);

function pool(kind: string): fc.Arbitrary<string> {
  const real = fx.ids[kind] ?? [];
  return real.length ? fc.constantFrom(...real) : fc.constant("none");
}

/** Ids named by a field (`serviceId`, `staffIds[]`): real ones of this tenant and the other, or anything. */
function idFor(name: string): fc.Arbitrary<string> | null {
  if (/^serviceIds?$/.test(name)) return pool("services");
  if (/^staffIds?$/.test(name)) return pool("staff");
  return null;
}

/** A component's schema for a `$ref`; `allOf` (a reference with a description beside it) merged into one schema. */
function resolve(schema: Schema): Schema {
  if (schema.$ref) return resolve(components[schema.$ref.split("/").at(-1)!]!);
  if (schema.allOf) {
    const { allOf, ...rest } = schema;
    return Object.assign(rest, ...allOf.map(resolve));
  }
  return schema;
}

/**
 * Two kinds of request per operation: well-formed ones (the schema's values, a valid key, JSON), which reach the
 * services and the database, and hostile ones, where any part may be garbage at any depth.
 */
type Mode = { hostile: boolean };

function typed(schema: Schema, name: string, depth: number, m: Mode): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => value(v, name, depth, m)));
  if (s.enum) return fc.constantFrom(...s.enum);
  const types = Array.isArray(s.type) ? s.type : [s.type ?? "object"];
  return fc.oneof(...types.map((type) => ofType(type, s, name, depth, m)));
}

function ofType(type: string, s: Schema, name: string, depth: number, m: Mode): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer": {
      const min = s.minimum ?? -1000;
      const max = Math.min(s.maximum ?? 1000, 2 ** 31);
      const inRange = fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
      return m.hostile ? fc.oneof(inRange, fc.constantFrom(min - 1, max + 1, 2 ** 53, -(2 ** 53))) : inRange;
    }
    case "number":
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case "array": {
      const item = s.items ?? {};
      const minLength = m.hostile ? 0 : Math.min(s.minItems ?? 0, 2);
      return fc.array(value(item, name, depth + 1, m), { minLength, maxLength: Math.min(s.maxItems ?? 4, 4) });
    }
    case "object": {
      if (depth > 4) return fc.constant({});
      const props = s.properties ?? {};
      const arbs = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, value(v, k, depth + 1, m)]));
      return fc.record(arbs, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return stringFor(s, name, m);
  }
}

function stringFor(s: Schema, name: string, m: Mode): fc.Arbitrary<string> {
  const max = Math.min(s.maxLength ?? 40, 40);
  const plain = fc.string({ minLength: Math.min(Math.max(s.minLength ?? 0, 1), max), maxLength: max });
  const email = fc.stringMatching(/^[a-z0-9.]{1,12}@example\.(com|org)$/).filter((e) => !/^\.|\.\.|\.@/.test(e));
  const special: fc.Arbitrary<string>[] = [];
  const ids = idFor(name);
  if (ids) special.push(ids);
  if (s.pattern?.includes("T\\d{2}")) special.push(fc.constantFrom(...INSTANTS));
  else if (name === "currency") special.push(fc.constantFrom("EUR", "EUR", "GBP"));
  else if (s.pattern) special.push(fc.stringMatching(new RegExp(s.pattern), { maxLength: 60 }));
  else if (typeof s.example === "string" && !s.example.includes("…")) special.push(fc.constant(s.example));
  if (s.format === "email" || /email/i.test(name)) special.push(email);
  if (s.format === "uri") special.push(fc.constantFrom("https://example.com/hook", "https://hooks.example.org/a?b=c"));
  if (name === "timezone") special.push(fc.constantFrom("Europe/London", "America/New_York", "Pacific/Kiritimati"));
  if (!m.hostile) return special.length ? fc.oneof(...special) : plain;
  return fc.oneof(
    plain,
    ...special,
    fc.webUrl(),
    fc.emailAddress(),
    fc.constantFrom("https://127.0.0.1/", "http://[::1]:5432/", "XXX"),
    fc.constantFrom(...WEIRD_STRINGS),
  );
}

/** A schema's value; when hostile, garbage some of the time at any depth. */
function value(schema: Schema, name: string, depth: number, m: Mode): fc.Arbitrary<unknown> {
  if (!m.hostile) return typed(schema, name, depth, m);
  return fc.oneof({ weight: 5, arbitrary: typed(schema, name, depth, m) }, { weight: 1, arbitrary: garbage });
}

const RAW_BODIES = [
  "",
  "{",
  "null",
  "[]",
  '"text"',
  "1e400",
  '{"start":1e400}',
  '{"__proto__":{"admin":true}}',
  '{"a":"\\u0000"}',
  '{"a":"\\ud800"}',
  "[".repeat(5000),
  "\u0000",
];

/** The request body as text: the schema's value serialised; when hostile, with an extra key, raw garbage or none. */
function bodyText(schema: Schema | undefined, m: Mode): fc.Arbitrary<string | undefined> {
  const fromSchema = schema ? value(schema, "body", 0, m) : garbage;
  const serialised = fromSchema.map((v) => JSON.stringify(v) ?? "null");
  if (!m.hostile) return schema ? serialised : fc.constant(undefined);
  return fc.oneof(
    { weight: 4, arbitrary: serialised },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fromSchema, fc.string({ maxLength: 10 }), garbage)
        .map(([v, k, g]) => JSON.stringify(v && typeof v === "object" ? { ...v, [k]: g } : v) ?? "null"),
    },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

function cursor(): fc.Arbitrary<string> {
  const numeric = fc
    .tuple(
      fc.constantFrom("1e400", "8.64e15", "-8.64e15", "1.5", "-1"),
      fc.constantFrom(...Object.values(fx.ids).flat(), "x"),
    )
    .map(([n, id]) => Buffer.from(`[${n},${JSON.stringify(id)}]`).toString("base64url"));
  const keyset = fc
    .tuple(
      fc.constantFrom("2027-02-30T00:00:00.000000Z", "2027-02-28T24:00:00.000000Z", "0000-01-01T00:00:00.000000Z"),
      fc.constantFrom(...Object.values(fx.ids).flat(), "x\u0000"),
    )
    .map(([at, id]) => b64url({ at, id }));
  // Shapes the API issues, with values it never would, most of the time: they get past the decoding.
  return fc.oneof(
    { weight: 4, arbitrary: numeric },
    { weight: 3, arbitrary: keyset },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map(b64url) },
    { weight: 1, arbitrary: fc.constantFrom(...WEIRD_STRINGS).map((d) => b64url({ date: d })) },
    { weight: 1, arbitrary: ASCII },
  );
}

function queryValue(p: Parameter, m: Mode): fc.Arbitrary<string> | null {
  if (p.name === "cursor") return m.hostile ? cursor() : null;
  if (p.name === "token") return m.hostile ? fc.oneof(fc.constantFrom(...fx.manageTokens), ASCII) : null;
  const dates = p.schema.pattern?.includes("T\\d{2}")
    ? fc.constantFrom(...INSTANTS)
    : fc.constantFrom("2027-03-01", "2027-03-02", "2027-03-07", "2027-03-20");
  const valid = p.name === "from" || p.name === "to" ? dates : typed(p.schema, p.name, 0, m).map((v) => String(v));
  if (!m.hostile) return valid;
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 1, arbitrary: fc.constantFrom("2027-12-31", "1970-01-01", ...INSTANTS, ...WEIRD_STRINGS) },
    { weight: 1, arbitrary: ASCII },
  );
}

function pathValue(op: Operation, name: string, m: Mode): fc.Arbitrary<string> {
  const segment = op.path.split(`/{${name}}`)[0]!.split("/").at(-1)!;
  const kind = name === "tenant" ? "tenant" : name === "date" ? "date" : name === "timeOffId" ? "time-off" : segment;
  if (!m.hostile) return pool(kind);
  return fc.oneof(
    { weight: 3, arbitrary: pool(kind) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(fx.ids).flat()) },
    { weight: 1, arbitrary: fc.constantFrom(...WEIRD_STRINGS).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom("%zz", "%00", "%2F..%2F", "a%2Fb", "..", "%E2%80%AE") },
  );
}

function idempotencyKey(m: Mode): fc.Arbitrary<string | undefined> {
  const valid = fc.uuid().map(String);
  return fc.option(
    m.hostile ? fc.oneof(valid, fc.constantFrom("my-first-booking", "order-42", "a".repeat(22)), ASCII) : valid,
    { nil: undefined },
  );
}

function authorization(op: Operation, m: Mode): fc.Arbitrary<string | undefined> {
  const admin = op.path.startsWith("/v1/admin/");
  const own = fc.constant(`Bearer ${fx.tenant.apiKey}`);
  const token = fc.constantFrom(...fx.manageTokens).map((mt) => `Bearer ${mt}`);
  if (!m.hostile) return admin ? own : fc.option(token, { nil: undefined });
  return fc.oneof(
    { weight: admin ? 4 : 1, arbitrary: own },
    { weight: 1, arbitrary: fc.constant(`Bearer ${fx.other.apiKey}`) },
    { weight: 1, arbitrary: token },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: ASCII.map((s) => `Bearer ${s}`) },
    { weight: 1, arbitrary: fc.constantFrom("Basic Zm9vOmJhcg==", "Bearer", "Bearer sk_", "bearer  sk_x y") },
  );
}

function contentType(m: Mode): fc.Arbitrary<string | undefined> {
  if (!m.hostile) return fc.constant("application/json");
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant("application/json") },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "text/plain",
        "application/json; charset=utf-16",
        "multipart/form-data; boundary=x",
        "application/x-www-form-urlencoded",
        "application/jsonx",
      ),
    },
    { weight: 1, arbitrary: fc.option(ASCII, { nil: undefined }) },
  );
}

const requestId = fc.option(fc.oneof(fc.constant("req-fuzz-0123456789"), ASCII), { nil: undefined });

interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * A well-formed request, or one with a single part made hostile (a path param, a query param, a header or the
 * body), so the garbage gets past every other check and reaches the code that reads it; now and then all of them.
 */
function request(op: Operation, only?: string): fc.Arbitrary<FuzzRequest> {
  const valid = parts(op, { hostile: false });
  const hostile = parts(op, { hostile: true });
  const targets = ["none", "all", "extra", "key", "auth", "type", "rid", "body"];
  for (const p of op.parameters) if (p.in !== "header") targets.push(`${p.in}:${p.name}`);
  const target = only ? fc.constant(only) : fc.constantFrom(...targets);
  return fc.record({ valid, hostile, target }).map(({ valid: v, hostile: h, target }) => {
    const pick = <K extends keyof Parts>(k: K, part: string): Parts[K] =>
      target === "all" || target === part ? h[k] : v[k];
    const path = Object.fromEntries(Object.keys(v.path).map((k) => [k, pick("path", `path:${k}`)[k]]));
    const query = Object.fromEntries(
      [...new Set([...Object.keys(v.query), ...Object.keys(h.query)])].map((k) => [k, pick("query", `query:${k}`)[k]]),
    );
    return toRequest(op, {
      path: path as Record<string, string>,
      query,
      extraQuery: pick("extraQuery", "extra"),
      key: pick("key", "key"),
      auth: pick("auth", "auth"),
      type: pick("type", "type"),
      rid: pick("rid", "rid"),
      body: pick("body", "body"),
    });
  });
}

interface Parts {
  path: Record<string, string>;
  query: Record<string, string | undefined>;
  extraQuery: string | undefined;
  key: string | undefined;
  auth: string | undefined;
  type: string | undefined;
  rid: string | undefined;
  body: string | undefined;
}

function parts(op: Operation, m: Mode): fc.Arbitrary<Parts> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const none = fc.constant(undefined);
  return fc.record({
    path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(op, p.name, m)]))),
    // Hostile: the parameter is always there; well-formed: sometimes.
    query: fc.record(
      Object.fromEntries(
        queryParams.map((p) => {
          const arb = queryValue(p, m);
          return [p.name, arb ? (m.hostile ? arb : fc.option(arb, { nil: undefined })) : none];
        }),
      ),
    ),
    extraQuery: m.hostile ? fc.constantFrom("&x=1", "&limit=1&limit=2", "&%zz=1", "&cursor", "&token=") : none,
    key: idempotencyKey(m),
    auth: authorization(op, m),
    type: contentType(m),
    rid: m.hostile ? requestId : none,
    body: op.method === "GET" || op.method === "DELETE" ? none : bodyText(op.body, m),
  }) as fc.Arbitrary<Parts>;
}

function toRequest(op: Operation, r: Parts): FuzzRequest {
  let url = op.path;
  for (const [name, v] of Object.entries(r.path)) url = url.replace(`{${name}}`, v);
  const search = new URLSearchParams();
  for (const [name, v] of Object.entries(r.query)) if (v !== undefined) search.append(name, v);
  url += `?${search}${r.extraQuery ?? ""}`;
  const headers: Record<string, string> = {};
  if (r.key !== undefined) headers["idempotency-key"] = r.key;
  if (r.auth !== undefined) headers.authorization = r.auth;
  if (r.rid !== undefined) headers["x-request-id"] = r.rid;
  if (r.body !== undefined && r.type !== undefined) headers["content-type"] = r.type;
  return { method: op.method, url, headers, body: r.body };
}

// ---------------------------------------------------------------------------------------------------------------

async function send(req: FuzzRequest) {
  const res = await t.app.request(req.url, { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  // FUZZ_LOG=1 prints every request's answer (to see what the generators reach).
  if (process.env.FUZZ_LOG) console.log(`${res.status} ${req.method} ${req.url.slice(-100)} ${text.slice(0, 400)}`);
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    text,
    requestId: res.headers.get("x-request-id"),
  };
}

/** Fails with the request that broke the rule; fast-check shrinks it to the smallest such request. */
function check(req: FuzzRequest, res: Awaited<ReturnType<typeof send>>): void {
  const what = `${req.method} ${req.url} → ${res.status} ${res.text.slice(0, 300)}`;
  if (res.status >= 500) throw new Error(`5xx: ${what}`);
  if (res.status < 400) return;
  if (!res.type.startsWith("application/json")) throw new Error(`error body is not JSON: ${what}`);
  const parsed = ErrorResponse.safeParse(JSON.parse(res.text));
  if (!parsed.success) throw new Error(`error body outside the error model: ${what}`);
  const { code, requestId } = parsed.data.error;
  const status = STATUS_BY_CODE[code as keyof typeof STATUS_BY_CODE];
  if (status !== res.status) throw new Error(`code ${code} is ${status}, answered ${res.status}: ${what}`);
  if (requestId !== res.requestId) throw new Error(`requestId differs from X-Request-Id: ${what}`);
}

describe("fuzz: every operation of /openapi.json", () => {
  it("covers the whole document", () => {
    expect(operations.length).toBeGreaterThanOrEqual(40);
  });

  // One property per operation, so each gets its share of runs and a failure names its route.
  it.each(operations.map((op, i) => [`${op.method} ${op.path}`, op, i] as const))(
    "%s answers < 500, with every error in the error model",
    async (_name, op, i) => {
      await fc.assert(
        fc.asyncProperty(request(op), async (req) => check(req, await send(req))),
        // Signup hashes a password (PBKDF2) on every success: a few runs say as much as many.
        { seed: SEED + i, numRuns: op.path === "/v1/signup" ? 3 : RUNS },
      );
    },
  );

  // The routes outside the document (pages, feeds, the Stripe webhook): no 5xx either, whatever their answer's type.
  it("answers < 500 on the pages, feeds and webhooks outside the document", async () => {
    const segment = fc.oneof(
      fc.constantFrom(...Object.values(fx.ids).flat(), "%zz", "%00", "..", "x.ics", `${"a".repeat(300)}.ics`),
      fc.string({ maxLength: 20 }).map(encodeURIComponent),
    );
    const pages = fc.tuple(
      fc.constantFrom(
        "GET /book/{a}",
        "GET /book/{a}/{b}",
        "GET /manage/{a}/{b}",
        "GET /checkout/{a}/{b}",
        "POST /checkout/{a}/{b}/pay",
        "GET /invoices/{a}",
        "GET /feeds/staff/{a}/{b}",
        "GET /dev/mailbox",
        "POST /v1/webhooks/stripe",
      ),
      segment,
      segment,
      fc.option(queryValue({ name: "token", in: "query", schema: {} }, { hostile: true })!, { nil: undefined }),
      bodyText(undefined, { hostile: true }),
      fc.option(ASCII, { nil: undefined }),
    );
    await fc.assert(
      fc.asyncProperty(pages, async ([route, a, b, token, body, signature]) => {
        const [method, template] = route.split(" ") as [string, string];
        const url = `${template.replace("{a}", a).replace("{b}", b)}${token === undefined ? "" : `?token=${encodeURIComponent(token)}`}`;
        const headers: Record<string, string> = signature === undefined ? {} : { "stripe-signature": signature };
        const res = await t.app.request(url, { method, headers, body: method === "POST" ? body : undefined });
        const text = await res.text();
        if (res.status >= 500) throw new Error(`5xx: ${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
      }),
      { seed: SEED - 1, numRuns: 60 },
    );
  });

  // And one per parameter, with only that parameter hostile: its garbage passes every other check.
  const params = operations.flatMap((op) =>
    op.parameters
      .filter((p) => p.in !== "header")
      .map((p) => [`${op.method} ${op.path} ${p.in} ${p.name}`, op, `${p.in}:${p.name}`] as const),
  );
  it.each(params.map((row, i) => [...row, i] as const))("%s", async (_name, op, target, i) => {
    await fc.assert(
      fc.asyncProperty(request(op, target), async (req) => check(req, await send(req))),
      { seed: SEED + 1000 + i, numRuns: PARAM_RUNS },
    );
  });
});
