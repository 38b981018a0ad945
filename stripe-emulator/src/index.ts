// A local Stripe emulator: the subset of Stripe's API Bookra uses, hosted Checkout and onboarding pages, and
// webhooks signed as Stripe signs them. See ../README.md.
export {
  API_VERSION,
  type Chaos,
  DEFAULT_RETRY_SCHEDULE,
  FAST_RETRY_SCHEDULE,
  parseChaos,
  signature,
} from "./events.ts";
export { DISPUTE_FEE, PROCESSING_FIXED, PROCESSING_PERCENT_BPS, processingFee } from "./fees.ts";
export { type RunningStripeEmulator, type StripeEmulatorOptions, startStripeEmulator } from "./server.ts";
