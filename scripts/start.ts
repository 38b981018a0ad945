// `npm start`: the whole product on this machine with no cloud account — Postgres, migrations, demo data, the worker.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { startDemoHost } from "../examples/embed/serve.ts";
import { buildAssets } from "./build-assets.ts";
import { wranglerCrons } from "./lib/cron-driver.ts";
import { DEMO_SLUG, newDemoPassword, seedDemo } from "./lib/seed.ts";
import { localSecret, ROOT, startStack } from "./lib/stack.ts";

const started = performance.now();
const dataDir = resolve(ROOT, process.env.BOOKRA_DATA_DIR ?? ".data");
const port = Number(process.env.PORT ?? 8787);
const verbose = process.env.BOOKRA_VERBOSE === "1";

await buildAssets(); // wrangler serves dist/public (the widget, the dashboard) as static assets
const stack = await startStack({
  dataDir,
  port,
  log: verbose ? (l) => process.stdout.write(l) : undefined,
  vars: { BOOKRA_RATE_LIMIT: "on", BOOKRA_LOOPBACK_WEBHOOKS: process.env.BOOKRA_LOOPBACK_WEBHOOKS ?? "off" },
  cron: {}, // wrangler.toml's [triggers] crons on their schedule, as Cloudflare runs them
  stripePort: Number(process.env.STRIPE_EMULATOR_PORT ?? 12111), // fixed: hosted-page links survive a restart
});

let demoHost: Awaited<ReturnType<typeof startDemoHost>> | undefined;
let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping Bookra…");
  await demoHost?.close();
  await stack.stop().catch((e) => console.error(e));
  process.exit(code);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

try {
  const keyFile = resolve(dataDir, "demo-admin-key");
  // The demo's dashboard accounts: passwords generated on the first start and kept in the data dir (never committed).
  const accountsFile = resolve(dataDir, "demo-accounts.json");
  const catalog = await fetch(`${stack.baseUrl}/v1/public/${DEMO_SLUG}/catalog`);
  if (catalog.status === 404) {
    const demo = await seedDemo(stack.baseUrl, DEMO_SLUG, {
      ownerPassword: newDemoPassword(),
      staff: { password: newDemoPassword(), tokenSecret: localSecret(dataDir, "manage-token-secret") },
      stripeUrl: stack.stripeUrl,
    });
    writeFileSync(keyFile, demo.apiKey, { mode: 0o600 });
    writeFileSync(accountsFile, JSON.stringify({ owner: demo.owner, staff: demo.staff }), { mode: 0o600 });
    console.log(`Seeded the demo tenant "${DEMO_SLUG}".`);
  }
  const accounts = existsSync(accountsFile)
    ? (JSON.parse(readFileSync(accountsFile, "utf8")) as Record<"owner" | "staff", { email: string; password: string }>)
    : undefined;
  const account = (a?: { email: string; password: string }) =>
    a ? `${a.email} / ${a.password}` : "(missing: delete .data to reseed)";
  demoHost = await startDemoHost({ apiBaseUrl: stack.baseUrl, port: port + 1 });
  const demoKey = existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : "(missing: delete .data to reseed)";
  const ms = Math.round(performance.now() - started);
  console.log(`
Bookra is running (ready in ${ms} ms; data in ${dataDir})
  API            ${stack.baseUrl}
  Dashboard      ${stack.baseUrl}/app/
  Health         ${stack.baseUrl}/health
  API docs       ${stack.baseUrl}/docs   (OpenAPI: ${stack.baseUrl}/openapi.json)
  Demo catalog   ${stack.baseUrl}/v1/public/${DEMO_SLUG}/catalog
  Widget demo    ${demoHost.url}/   (a host page on another origin: inline, popup and floating button)
  Booking page   ${stack.baseUrl}/book/${DEMO_SLUG}
  Stripe         ${stack.stripeUrl}   (the local Stripe emulator the worker pays through; control API under /_emulator/)
  Dev mailbox    ${stack.baseUrl}/dev/mailbox   (what e-mail, WhatsApp, calendar and webhooks would have sent)
  Cron           ${wranglerCrons().join(", ")} (UTC; lapsed holds, reminders, outbox sweep)
  Demo admin key ${demoKey}
  Demo owner     ${account(accounts?.owner)}   (dashboard sign-in; generated on first start, kept in .data)
  Demo staff     ${account(accounts?.staff)}
Press Ctrl-C to stop.`);
} catch (err) {
  console.error("Start-up failed:", err);
  await shutdown(1);
}
