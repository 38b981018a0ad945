// The transport keys an operation because the contract says it accepts an `Idempotency-Key`, not because a call site
// asks: every operation of the committed document is called through the generated tables and its headers compared
// with the document itself (read here independently of the generator).
import { describe, expect, it } from "vitest";
import { fakeFetch, json } from "../test/fake-fetch.ts";
import { IDEMPOTENT_OPERATIONS, PUBLIC_IDEMPOTENT_OPERATIONS } from "./generated/idempotent.ts";
import contract from "./generated/openapi.json" with { type: "json" };
import { createCall, type OperationKey } from "./http.ts";

interface RawParameter {
  $ref?: string;
  in?: string;
  name?: string;
}
type RawPathItem = Record<string, { parameters?: RawParameter[] }> & { parameters?: RawParameter[] };

const document = contract as unknown as {
  paths: Record<string, RawPathItem>;
  components?: { parameters?: Record<string, RawParameter> };
};
const deref = (p: RawParameter) => (p.$ref ? (document.components?.parameters?.[p.$ref.split("/").pop()!] ?? {}) : p);
const keyHeader = (p: RawParameter) => p.in === "header" && p.name?.toLowerCase() === "idempotency-key";

const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  ["get", "put", "post", "patch", "delete"]
    .filter((method) => item[method])
    .map((method) => ({
      op: `${method.toUpperCase()} ${path}` as OperationKey,
      acceptsKey: [...(item.parameters ?? []), ...(item[method]!.parameters ?? [])].map(deref).some(keyHeader),
    })),
);

/** Calls `op` once through a transport built on `table`, with no per-call hint, and says whether it carried a key. */
async function sendsKey(op: OperationKey, table: readonly OperationKey[]): Promise<boolean> {
  const f = fakeFetch(json(200, {}));
  const call = createCall({ baseUrl: "https://api.test", fetch: f.fetch, maxRetries: 0 }, { idempotent: table });
  const path = Object.fromEntries([...op.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name!, "x"]));
  await call(op, { path, body: op.startsWith("GET") ? undefined : {} } as never);
  return f.calls[0]!.headers.has("idempotency-key");
}

describe("idempotency keys come from the contract", () => {
  it("the contract has keyed and unkeyed operations to tell apart", () => {
    expect(operations.filter((o) => o.acceptsKey).length).toBeGreaterThanOrEqual(4);
    expect(operations.filter((o) => !o.acceptsKey).length).toBeGreaterThanOrEqual(4);
  });

  it("every operation whose contract declares an Idempotency-Key header gets one automatically, and no other", async () => {
    const keyed: string[] = [];
    for (const { op } of operations) if (await sendsKey(op, IDEMPOTENT_OPERATIONS)) keyed.push(op);
    expect(keyed.sort()).toEqual(
      operations
        .filter((o) => o.acceptsKey)
        .map((o) => o.op)
        .sort(),
    );
  });

  it("the public client's table is exactly the keyed operations under /v1/public/", async () => {
    const publicOps = operations.filter((o) => o.op.split(" ")[1]!.startsWith("/v1/public/"));
    const keyed: string[] = [];
    for (const { op } of publicOps) if (await sendsKey(op, PUBLIC_IDEMPOTENT_OPERATIONS)) keyed.push(op);
    expect(keyed.sort()).toEqual(
      publicOps
        .filter((o) => o.acceptsKey)
        .map((o) => o.op)
        .sort(),
    );
    expect(PUBLIC_IDEMPOTENT_OPERATIONS.every((op) => op.includes(" /v1/public/"))).toBe(true);
  });

  it("a caller's own key replaces the generated one; an unkeyed operation ignores it", async () => {
    const f = fakeFetch(json(201, {}), json(200, {}));
    const call = createCall({ baseUrl: "https://api.test", fetch: f.fetch }, { idempotent: IDEMPOTENT_OPERATIONS });
    await call("POST /v1/admin/staff", { body: { name: "Ana" } }, { idempotencyKey: "mine-0123456789abcdefghij" });
    await call("POST /v1/admin/bookings/{id}/complete", { path: { id: "b" } }, { idempotencyKey: "ignored" });
    expect(f.calls.map((c) => c.headers.get("idempotency-key"))).toEqual(["mine-0123456789abcdefghij", null]);
  });
});
