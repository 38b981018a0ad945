// The package as published: the public client's size budget, and the built dist running in plain Node and type-checking
// for a consumer (no repository tooling, no dependencies).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSdk } from "../scripts/build.ts";

const SDK = resolve(import.meta.dirname, "..");
const PUBLIC_BUDGET_BYTES = 4 * 1024;

/** min+gzip size of what an app bundling only `names` from `entry` ships (esbuild, minified, tree-shaken). */
async function shippedBytes(entry: string, names: string[]): Promise<{ min: number; gzip: number }> {
  const out = await build({
    stdin: {
      contents: `export { ${names.join(", ")} } from ${JSON.stringify(resolve(SDK, entry))};`,
      resolveDir: SDK,
      loader: "ts",
    },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = out.outputFiles[0]!.contents;
  return { min: code.length, gzip: gzipSync(code).length };
}

describe("size budget", () => {
  it(`the public client (createBookra only) is at most ${PUBLIC_BUDGET_BYTES} bytes min+gzip`, async () => {
    const size = await shippedBytes("src/index.ts", ["createBookra"]);
    console.log(
      `@bookra/sdk createBookra: ${size.min} B minified, ${size.gzip} B min+gzip (budget ${PUBLIC_BUDGET_BYTES} B)`,
    );
    expect(size.gzip).toBeLessThanOrEqual(PUBLIC_BUDGET_BYTES);
  });

  it("the admin client and the webhook helper stay small too, and the public bundle has no admin code", async () => {
    const admin = await shippedBytes("src/admin.ts", ["createBookraAdmin"]);
    const webhooks = await shippedBytes("src/webhooks.ts", ["verifyWebhook"]);
    console.log(
      `@bookra/sdk/admin: ${admin.gzip} B min+gzip; @bookra/sdk/webhooks verifyWebhook: ${webhooks.gzip} B min+gzip`,
    );
    expect(admin.gzip).toBeLessThanOrEqual(8 * 1024);
    expect(webhooks.gzip).toBeLessThanOrEqual(2 * 1024);
    const out = await build({
      entryPoints: [resolve(SDK, "src/index.ts")],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      write: false,
    });
    const text = out.outputFiles[0]!.text;
    expect(text).not.toContain("/v1/admin/");
    expect(text).not.toContain("webhook-signature");
  });
});

describe("built package", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "bookra-sdk-"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" })); // as the published package.json says
    await buildSdk(join(dir, "dist"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs in plain Node from dist, the entries sharing one error class", async () => {
    const load = (name: string) => import(pathToFileURL(join(dir, "dist", `${name}.js`)).href);
    const [pub, admin, hooks] = await Promise.all([load("index"), load("admin"), load("webhooks")]);
    expect(admin.BookraError).toBe(pub.BookraError);
    expect(new hooks.WebhookVerificationError("x", { code: "X" })).toBeInstanceOf(pub.BookraError);
    const fetch = async () => new Response(JSON.stringify({ tenant: { slug: "demo-salon" }, services: [], staff: [] }));
    const bookra = pub.createBookra({ baseUrl: "http://127.0.0.1:1", tenant: "demo-salon", fetch });
    expect((await bookra.catalog.get()).tenant.slug).toBe("demo-salon");
    const files = readdirSync(join(dir, "dist"), { recursive: true }).map(String);
    expect(
      files.filter((f) => f.endsWith(".js")).some((f) => readFileSync(join(dir, "dist", f), "utf8").includes("node:")),
    ).toBe(false);
  });

  it("type-checks for a consumer using only the published declarations", () => {
    const consumer = join(dir, "consumer.ts");
    writeFileSync(
      consumer,
      `import { createBookra, SlotUnavailableError, type Booking } from "./dist/index.js";
import { createBookraAdmin } from "./dist/admin.js";
import { verifyWebhook } from "./dist/webhooks.js";
const bookra = createBookra({ baseUrl: "http://x", tenant: "t" });
export async function run(): Promise<Booking | string> {
  const { slots } = await bookra.availability.list({ serviceId: "svc", from: "2027-03-01", to: "2027-03-01" });
  const admin = createBookraAdmin({ baseUrl: "http://x", apiKey: "sk_x" });
  for await (const b of admin.bookings.list({ limit: 10 })) b.customer.email.toLowerCase();
  await verifyWebhook("{}", {}, "whsec_x");
  try { return (await bookra.bookings.create({ serviceId: "svc", start: slots[0]!.start, customer: { name: "A", email: "a@b.c" } })).booking; }
  catch (e) { if (e instanceof SlotUnavailableError) return e.code; throw e; }
}
// @ts-expect-error: the contract's types reach the consumer
bookra.bookings.create({ serviceId: 1 });
`,
    );
    const tsc = resolve(SDK, "../node_modules/typescript/bin/tsc");
    const compilerOptions = {
      strict: true,
      noEmit: true,
      module: "nodenext",
      target: "es2022",
      lib: ["es2022", "dom", "dom.iterable"],
      types: [],
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }));
    try {
      execFileSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { cwd: dir, stdio: "pipe" });
    } catch (e) {
      throw new Error(`the consumer does not type-check:\n${(e as { stdout?: Buffer }).stdout}`);
    }
    const declarations = readdirSync(join(dir, "dist"), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".d.ts"));
    for (const f of declarations) expect(readFileSync(join(dir, "dist", f), "utf8")).not.toMatch(/from "\.[^"]*\.ts"/);
  });
});
