// `npm run platform-fee -- <tenant slug> <basis points | default> [fixed minor units | default]`: the platform's
// application fee for one business (tenants.platform_fee_bps, 0–5000, and platform_fee_fixed, 0–100000), set by the
// operator only; `default` goes back to STRIPE_PLATFORM_FEE_BPS / STRIPE_PLATFORM_FEE_FIXED. Without the third
// argument the fixed part is left as it is.
// Businesses cannot change it (it is not among the policies the admin API takes). DATABASE_URL: an owner role.
import pg from "pg";

const url = process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL;
const [slug, value, fixedValue] = process.argv.slice(2);
const bps = value === "default" ? null : Number(value);
const fixed = fixedValue === undefined || fixedValue === "default" ? null : Number(fixedValue);
const inRange = (n: number | null, max: number) => n === null || (Number.isInteger(n) && n >= 0 && n <= max);
if (!url || !slug || !inRange(bps, 5000) || !inRange(fixed, 100_000)) {
  console.error("Usage: DATABASE_URL=… npm run platform-fee -- <tenant slug> <0–5000 | default> [0–100000 | default]");
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const r =
    fixedValue === undefined
      ? await client.query("UPDATE tenants SET platform_fee_bps = $1 WHERE slug = $2 RETURNING id", [bps, slug])
      : await client.query(
          "UPDATE tenants SET platform_fee_bps = $1, platform_fee_fixed = $3 WHERE slug = $2 RETURNING id",
          [bps, slug, fixed],
        );
  if (r.rowCount === 0) {
    console.error(`No business with slug ${slug}`);
    process.exitCode = 1;
  } else {
    const fixedText = fixedValue === undefined ? "" : fixed === null ? " + STRIPE_PLATFORM_FEE_FIXED" : ` + ${fixed}`;
    console.log(`${slug}: platform fee ${bps === null ? "STRIPE_PLATFORM_FEE_BPS" : `${bps} bps`}${fixedText}`);
  }
} finally {
  await client.end();
}
