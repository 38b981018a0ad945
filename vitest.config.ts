import { configDefaults, defineConfig } from "vitest/config";

/**
 * Pure tests: no database, no worker, no browser. `npm run test:unit` runs only these (the inner loop); the
 * `integration` project runs everything else on a throwaway Postgres started once by the global setup.
 */
const UNIT = [
  "worker/src/domain/**/*.test.ts",
  "worker/src/providers/providers.test.ts",
  "worker/src/services/idempotency/keys.test.ts",
  "worker/src/db/drizzle.test.ts",
  "worker/src/lib/crypto.test.ts",
  "worker/src/lib/encryption.test.ts",
  "worker/src/lib/manage-token.test.ts",
  "worker/src/lib/public-url.test.ts",
  "worker/src/routes/dashboard.test.ts",
  "widget/src/models/**/*.test.ts",
  "dashboard/src/**/*.test.ts",
  "scripts/lib/cron.test.ts",
  "scripts/lib/cpuprofile.test.ts",
  "scripts/lib/proc.test.ts",
  "bench/lib.test.ts",
  "stripe-emulator/src/**/*.test.ts",
  "sdk/src/**/*.test.ts",
  "sdk/scripts/**/*.test.ts",
  "test/test-hygiene.test.ts",
  "test/dependency-rules.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    setupFiles: ["./test/helpers/fast-check-seed.ts"],
    projects: [
      {
        extends: true,
        test: { name: "unit", include: UNIT },
      },
      {
        extends: true,
        test: {
          name: "integration",
          globalSetup: ["./test/global-setup.ts"],
          include: [
            "worker/**/*.test.ts",
            "sdk/**/*.test.ts",
            "widget/**/*.test.ts",
            "dashboard/**/*.test.ts",
            "test/**/*.test.ts",
            "scripts/**/*.test.ts",
            "stripe-emulator/**/*.test.ts",
          ],
          exclude: [...configDefaults.exclude, ...UNIT],
        },
      },
    ],
  },
});
