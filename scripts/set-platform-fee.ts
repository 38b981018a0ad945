// `npm run platform-fee -- <tenant slug> <basis points | default>`: the platform's application fee for one business
// (tenants.platform_fee_bps, 0–5000), set by the operator only; `default` goes back to STRIPE_PLATFORM_FEE_BPS.
// Businesses cannot change it (it is not among the policies the admin API takes). DATABASE_URL: an owner role.
import pg from "pg";

const url = process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL;
const [slug, value] = process.argv.slice(2);
const bps = value === "default" ? null : Number(value);
if (!url || !slug || (bps !== null && (!Number.isInteger(bps) || bps < 0 || bps > 5000))) {
  console.error("Usage: DATABASE_URL=… npm run platform-fee -- <tenant slug> <0–5000 | default>");
  process.exit(2);
}
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  const r = await client.query("UPDATE tenants SET platform_fee_bps = $1 WHERE slug = $2 RETURNING id", [bps, slug]);
  if (r.rowCount === 0) {
    console.error(`No business with slug ${slug}`);
    process.exitCode = 1;
  } else console.log(`${slug}: platform fee ${bps === null ? "from STRIPE_PLATFORM_FEE_BPS" : `${bps} bps`}`);
} finally {
  await client.end();
}
