// `npm run check:abuse`: replays the abuse a public booking API meets (issue 10's reproductions) against a running
// stack — `npm start` by default — and prints what happened. It creates its own business each run and changes
// nothing else. Every request goes to BOOKRA_URL (default http://127.0.0.1:8787, loopback only), bounded in count.
import { randomUUID } from "node:crypto";

const base = process.env.BOOKRA_URL ?? "http://127.0.0.1:8787";
if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/.test(base))
  throw new Error("BOOKRA_URL must be loopback");

interface Answer {
  status: number;
  body: any;
  headers: Headers;
  bytes: number;
}

const statuses: number[] = [];
let devProxy503 = 0;
const results: { check: string; ok: boolean; detail: string }[] = [];
const report = (check: string, ok: boolean, detail: string) => {
  results.push({ check, ok, detail });
  console.log(`${ok ? "PASS" : "FAIL"}  ${check}: ${detail}`);
};

async function api(
  method: string,
  path: string,
  opts: { body?: unknown; key?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  statuses.push(res.status);
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // HTML pages
  }
  return { status: res.status, body, headers: res.headers, bytes: Buffer.byteLength(text) };
}

function count(xs: number[]): string {
  const tally = new Map<number, number>();
  for (const x of xs) tally.set(x, (tally.get(x) ?? 0) + 1);
  return [...tally].map(([s, n]) => `${n} × ${s}`).join(", ");
}
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const allWeek = (start: string, end: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

// ---------------------------------------------------------------------------------------------------------------
const health = await api("GET", "/health");
if (health.status !== 200) throw new Error(`no stack at ${base}: start it with npm start`);

const slug = `abuse-${randomUUID().slice(0, 8)}`;
const signup = await api("POST", "/v1/signup", {
  body: {
    businessName: "Abuse Check",
    slug,
    timezone: "Europe/London",
    currency: "GBP",
    ownerEmail: `owner@${slug}.example`,
    ownerPassword: "abuse-check-password",
  },
});
if (signup.status !== 201) throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body)}`);
const key: string = signup.body.apiKey;
console.log(`business ${slug} at ${base}\n`);

// 1. Bodies: a chunked 100 MB body, before authentication, on three kinds of path.
for (const [method, path] of [
  ["POST", `/v1/public/${slug}/bookings`],
  ["POST", "/v1/admin/staff"],
  ["POST", "/no-such-path"],
] as const) {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const total = 100 * 1024 * 1024;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  let outcome: string;
  let refused = false;
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const text = await res.text().catch(() => "");
    if (res.status === 503 && text.startsWith("Your worker restarted mid-request")) {
      // wrangler dev's own proxy (local only, not in production): its fetch to the worker fails when the worker
      // answers 413 and drops the upload before the proxy has finished forwarding it. Not the worker's answer.
      devProxy503 += 1;
      outcome = "503 from wrangler dev's proxy (the worker dropped the upload)";
      refused = true;
    } else {
      statuses.push(res.status);
      outcome = `${res.status} ${res.status === 413 ? "PAYLOAD_TOO_LARGE" : ""}`.trim();
      refused = res.status === 413;
    }
  } catch (err) {
    outcome = `connection closed by the server (${(err as Error).cause ?? err})`;
    refused = true;
  }
  const mb = (pulled / 1024 / 1024).toFixed(2);
  // `pulled` counts what the client handed to its socket (kernel buffers included), an upper bound of what was read.
  report(
    `chunked 100 MB body, ${method} ${path}`,
    refused && pulled < 16 * 1024 * 1024,
    `${outcome}; the client got ${mb} of 100 MB out before the answer`,
  );
}

// 2. Per-tenant caps and the largest availability answer they allow.
const staffIds: string[] = [];
const staffStatuses: number[] = [];
for (let i = 0; i < 51; i++) {
  const r = await api("POST", "/v1/admin/staff", {
    key,
    body: { name: `Stylist ${i}`, commissionBps: 0, serviceIds: [], weeklyHours: allWeek("00:00", "24:00") },
  });
  staffStatuses.push(r.status);
  if (r.status === 201) staffIds.push(r.body.id);
  else if (i < 50) throw new Error(`staff ${i}: ${r.status} ${JSON.stringify(r.body)}`);
  else
    report(
      "staff cap",
      r.status === 422 && r.body.error?.code === "LIMIT_REACHED",
      `51st staff member → ${r.status} ${r.body.error?.code}`,
    );
}
const dense = await api("POST", "/v1/admin/services", {
  key,
  body: {
    name: "Quick check",
    durationMinutes: 5,
    slotStepMinutes: 5,
    price: { amount: 500, currency: "GBP" },
    staffIds,
  },
});
if (dense.status !== 201) throw new Error(`service: ${dense.status} ${JSON.stringify(dense.body)}`);
const availabilityPath = `/v1/public/${slug}/availability?serviceId=${dense.body.id}&from=${day(1)}&to=${day(62)}`;
const first = await api("GET", availabilityPath);
const started = performance.now();
const parallel = await Promise.all(Array.from({ length: 10 }, () => api("GET", availabilityPath)));
const tenMs = Math.round(performance.now() - started);
report(
  "availability: 50 staff, 5-minute slots, 62 days",
  first.status === 200 && first.body.slots.length <= 1000 && first.bytes < 2_000_000,
  `${first.body.slots.length} slots, ${first.bytes.toLocaleString("en")} B, nextCursor ${first.body.nextCursor ? "set" : "null"}; ` +
    `10 in parallel ${tenMs} ms (${count(parallel.map((p) => p.status))}); Cache-Control "${first.headers.get("cache-control")}"`,
);

// 3. Webhook endpoints: private destinations in every notation, and the endpoint cap.
const privateUrls = [
  "https://169.254.169.254/latest/meta-data",
  "https://127.0.0.1/",
  "https://[::ffff:127.0.0.1]/",
  "https://2130706433/",
  "https://0x7f000001/",
  "https://127.1/",
  "https://LOCALHOST/",
  "http://127.0.0.1:5432/",
  "https://10.0.0.1/",
  "https://192.168.1.1/",
  "https://100.64.0.1/",
  "https://[fc00::1]/",
  "https://[::]/",
  "https://0.0.0.0/",
  "https://hooks.example.com:8443/",
];
const ssrf = await Promise.all(
  privateUrls.map((url) => api("POST", "/v1/admin/webhook-endpoints", { key, body: { url } })),
);
report(
  "webhook endpoints on non-public addresses",
  ssrf.every((r) => r.status === 422 || r.status === 400),
  `${privateUrls.length} URLs → ${count(ssrf.map((r) => r.status))}`,
);
const hooks: number[] = [];
for (let i = 0; i < 11; i++) {
  hooks.push(
    (await api("POST", "/v1/admin/webhook-endpoints", { key, body: { url: `https://hooks.example.com/${i}` } })).status,
  );
}
report("webhook endpoint cap", hooks.slice(0, 10).every((s) => s === 201) && hooks[10] === 422, count(hooks));

// 4. Slot hoarding with unpaid deposit holds (the client address is 127.0.0.1 for every request). A deposit is booked
// online only once the business can take charges: it connects the stack's (emulated) Stripe and completes onboarding.
const connect = await api("POST", "/v1/admin/payments/connect", { key });
if (connect.status !== 200) throw new Error(`payments connect: ${connect.status} ${JSON.stringify(connect.body)}`);
await fetch(connect.body.url, {
  method: "POST",
  body: new URLSearchParams({ action: "complete" }),
  redirect: "manual",
});
for (let tries = 0; !(await api("GET", "/v1/admin/payments", { key })).body.chargesEnabled; tries++) {
  if (tries > 150) throw new Error("the business's Stripe account did not become enabled within 15 s");
  await new Promise((ok) => setTimeout(ok, 100));
}
const colour = await api("POST", "/v1/admin/services", {
  key,
  body: {
    name: "Colour",
    durationMinutes: 60,
    slotStepMinutes: 60,
    price: { amount: 8000, currency: "GBP" },
    deposit: { percent: 50 },
    staffIds: [staffIds[0]],
  },
});
const holdDay = day(3);
const slotsOf = async () =>
  (await api("GET", `/v1/public/${slug}/availability?serviceId=${colour.body.id}&from=${holdDay}&to=${holdDay}`)).body
    .slots as {
    start: string;
  }[];
const before = await slotsOf();
const hold = (email: string, start: string) =>
  api("POST", `/v1/public/${slug}/bookings`, {
    headers: { "idempotency-key": randomUUID() },
    body: { serviceId: colour.body.id, start, customer: { name: "Hoarder", email } },
  });
const sameEmail: Answer[] = [];
for (const s of before.slice(0, 8)) sameEmail.push(await hold("hoarder@example.com", s.start));
const otherEmails: Answer[] = [];
for (const [i, s] of before.slice(8, 16).entries()) otherEmails.push(await hold(`hoarder${i}@example.com`, s.start));
const after = await slotsOf();
report(
  "slot hoarding",
  before.length - after.length <= 3,
  `${before.length} → ${after.length} free slots; 8 holds from one e-mail: ${count(sameEmail.map((r) => r.status))} ` +
    `(${sameEmail.find((r) => r.status !== 201)?.body.error?.code}); 8 from other e-mails, same address: ${count(otherEmails.map((r) => r.status))}`,
);

// 5. Notification spam: 20 reschedules of one booking, then what reached the customer.
await api("PUT", "/v1/admin/channels", { key, body: { whatsapp: true } });
const spamEmail = `spam-${randomUUID().slice(0, 8)}@example.com`;
const dayFree = (
  await api(
    "GET",
    `/v1/public/${slug}/availability?serviceId=${dense.body.id}&from=${day(5)}&to=${day(5)}&staffId=${staffIds[1]}`,
  )
).body.slots as { start: string }[];
const booked = await api("POST", `/v1/public/${slug}/bookings`, {
  headers: { "idempotency-key": randomUUID() },
  body: {
    serviceId: dense.body.id,
    staffId: staffIds[1],
    start: dayFree[0]!.start,
    customer: { name: "Victim", email: spamEmail, phone: "+44 20 7946 0958" },
  },
});
const manageToken: string = booked.body.manageToken;
const moves: Answer[] = [];
for (let i = 1; i <= 20; i++) {
  moves.push(
    await api("POST", `/v1/public/${slug}/bookings/${booked.body.booking.id}/reschedule`, {
      headers: { "idempotency-key": randomUUID(), authorization: `Bearer ${manageToken}` },
      body: { start: dayFree[i * 3]!.start },
    }),
  );
}
const moved = moves.filter((m) => m.status === 200).length;
// The outbox drains asynchronously: wait (bounded) until the mailbox stops changing for this address.
let mails = 0;
let whatsapps = 0;
for (let i = 0, stable = 0; i < 60 && stable < 3; i++) {
  await new Promise((r) => setTimeout(r, 500));
  const box = await api("GET", "/dev/mailbox");
  const html = String(box.body);
  const emailSection = html.split('<section id="whatsapp"')[0] ?? "";
  const waSection = html.split('<section id="whatsapp"')[1]?.split("</section>")[0] ?? "";
  const nextMails = emailSection.split(`to ${spamEmail}`).length - 1;
  const nextWa = waSection.split("+44 20 7946 0958").length - 1;
  stable = nextMails === mails && nextWa === whatsapps && nextMails > 0 ? stable + 1 : 0;
  mails = nextMails;
  whatsapps = nextWa;
}
report(
  "notification spam",
  moved <= 3 && mails <= 1 + moved && whatsapps === 0,
  `20 reschedules → ${count(moves.map((m) => m.status))} (${[...new Set(moves.filter((m) => m.status !== 200).map((m) => m.body.error?.code))].join(", ")}); ` +
    `e-mails to the customer ${mails}, WhatsApp messages ${whatsapps} (no opt-in)`,
);

// 6. Idempotency keys: the README's old example key, and a replay with a wrong manage token.
const guessable = await api("POST", `/v1/public/${slug}/bookings`, {
  headers: { "idempotency-key": "my-first-booking" },
  body: { serviceId: dense.body.id, start: dayFree[80]!.start, customer: { name: "A", email: "a@example.com" } },
});
// A booking of its own: the spam above used up the first one's manage-action budget.
const other = await api("POST", `/v1/public/${slug}/bookings`, {
  headers: { "idempotency-key": randomUUID() },
  body: {
    serviceId: dense.body.id,
    staffId: staffIds[1],
    start: dayFree[100]!.start,
    customer: { name: "B", email: "b@example.com" },
  },
});
const replayKey = randomUUID();
const moveAgain = { start: dayFree[110]!.start };
const firstMove = await api("POST", `/v1/public/${slug}/bookings/${other.body.booking.id}/reschedule`, {
  headers: { "idempotency-key": replayKey, authorization: `Bearer ${other.body.manageToken}` },
  body: moveAgain,
});
const wrongToken = await api("POST", `/v1/public/${slug}/bookings/${other.body.booking.id}/reschedule`, {
  headers: { "idempotency-key": replayKey, authorization: "Bearer mt_wrong" },
  body: moveAgain,
});
report(
  "guessable Idempotency-Key; replay with a wrong token",
  guessable.status === 400 &&
    firstMove.status === 200 &&
    wrongToken.status === 404 &&
    !JSON.stringify(wrongToken.body).includes(other.body.booking.id),
  `"my-first-booking" → ${guessable.status}; a reschedule → ${firstMove.status}, its replay with a wrong token → ${wrongToken.status}`,
);

// 7. Crafted cursors.
const b64 = (s: string) => Buffer.from(s).toString("base64url");
const cursors = await Promise.all(
  ['[1e400,"x"]', '[8.64e15,"x"]', '[-1,"x"]', "{}", "not-json"].map((c) =>
    api("GET", `/v1/admin/bookings?cursor=${b64(c)}`, { key }),
  ),
);
report(
  "crafted cursors",
  cursors.every((r) => r.status === 400),
  count(cursors.map((r) => r.status)),
);

// 8. Reserved slugs (signup is limited to 10 a minute per address: a handful is enough).
const reserved = [];
for (const s of ["admin", "api", "stripe", "dev", "xn--bcher-kva"]) {
  reserved.push(
    await api("POST", "/v1/signup", {
      body: {
        businessName: "X",
        slug: s,
        timezone: "UTC",
        currency: "EUR",
        ownerEmail: `o@${randomUUID()}.example`,
        ownerPassword: "a-long-password",
      },
    }),
  );
}
report(
  "reserved slugs",
  reserved.every((r) => r.status === 400),
  count(reserved.map((r) => r.status)),
);

// 9. Header injection through a service name.
const crlf = await api("POST", "/v1/admin/services", {
  key,
  body: {
    name: "Cut\r\nBcc: x@evil.example",
    durationMinutes: 30,
    price: { amount: 100, currency: "GBP" },
    staffIds: [staffIds[2]],
  },
});
const crlfSlots = (
  await api("GET", `/v1/public/${slug}/availability?serviceId=${crlf.body.id}&from=${day(6)}&to=${day(6)}`)
).body.slots as { start: string }[];
const crlfEmail = `crlf-${randomUUID().slice(0, 8)}@example.com`;
await api("POST", `/v1/public/${slug}/bookings`, {
  headers: { "idempotency-key": randomUUID() },
  body: { serviceId: crlf.body.id, start: crlfSlots[0]!.start, customer: { name: "C", email: crlfEmail } },
});
let subject = "";
for (let i = 0; i < 40 && !subject; i++) {
  await new Promise((r) => setTimeout(r, 500));
  const html = String((await api("GET", "/dev/mailbox")).body);
  const at = html.indexOf(`to ${crlfEmail}`);
  if (at >= 0) subject = html.slice(at).match(/<h3>([^<]*)<\/h3>/)?.[1] ?? "";
}
report("CR/LF in a service name", subject !== "" && !/[\r\n]/.test(subject), `subject "${subject}"`);

// 10. Headers on every HTML page.
const holdBooking = sameEmail.find((r) => r.status === 201)!;
const pages = [
  `/book/${slug}`,
  `/manage/${slug}/${booked.body.booking.id}?token=${manageToken}`,
  new URL(holdBooking.body.checkout.url).pathname + new URL(holdBooking.body.checkout.url).search,
  "/docs",
  "/dev/mailbox",
];
for (const p of pages) {
  const r = await api("GET", p);
  const csp = r.headers.get("content-security-policy") ?? "";
  const ok =
    r.status === 200 &&
    csp.includes("frame-ancestors 'none'") &&
    // Scripts only from this origin or with the page's nonce (Scalar's /docs needs inline styles, never scripts).
    !/script-src[^;]*unsafe-inline/.test(csp) &&
    r.headers.get("x-content-type-options") === "nosniff" &&
    r.headers.get("referrer-policy") === "no-referrer";
  report(
    `headers on ${p.split("?")[0]}`,
    ok,
    `${r.status}; CSP ${csp ? "set" : "missing"}; nosniff ${r.headers.get("x-content-type-options")}; Referrer-Policy ${r.headers.get("referrer-policy")}`,
  );
}

const fivexx = statuses.filter((s) => s >= 500).length;
report(
  "no 5xx from the worker",
  fivexx === 0,
  `${statuses.length} responses, ${fivexx} × 5xx` +
    (devProxy503 ? ` (and ${devProxy503} × 503 from wrangler dev's local proxy, counted apart above)` : ""),
);
const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
