// `npm start -w @bookra/stripe-emulator` (or `tsx stripe-emulator/src/cli.ts`): runs the emulator until Ctrl-C,
// configured from the environment (README.md lists the variables).
import { startStripeEmulator } from "./server.ts";

const env = process.env;
const databaseUrl = env.STRIPE_EMULATOR_DATABASE_URL;
if (!databaseUrl) {
  console.error("STRIPE_EMULATOR_DATABASE_URL is required (e.g. postgres://postgres:…@127.0.0.1:5432/stripe_emulator)");
  process.exit(2);
}
const retry = env.STRIPE_EMULATOR_RETRY;
const emulator = await startStripeEmulator({
  databaseUrl,
  port: Number(env.STRIPE_EMULATOR_PORT ?? 12111),
  host: env.STRIPE_EMULATOR_HOST ?? "127.0.0.1",
  webhookUrl: env.STRIPE_EMULATOR_WEBHOOK_URL ?? null,
  webhookSecret: env.STRIPE_EMULATOR_WEBHOOK_SECRET ?? "whsec_emulator",
  chaos: env.STRIPE_EMULATOR_CHAOS ?? "",
  retrySchedule: retry === "fast" ? "fast" : retry ? retry.split(",").map(Number) : undefined,
  apiKey: env.STRIPE_EMULATOR_API_KEY,
  refundSettleMs: env.STRIPE_EMULATOR_REFUND_SETTLE_MS ? Number(env.STRIPE_EMULATOR_REFUND_SETTLE_MS) : undefined,
  log: (line) => console.error(line),
});
console.log(`Stripe emulator on ${emulator.url} (platform ${emulator.platformAccount})`);
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0));
  });
