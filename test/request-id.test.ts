// Request ids (hono/request-id with the API's own rule): a well-formed incoming X-Request-Id (8–64 characters of
// [\w.-]) is kept, anything else is replaced by a generated req_…; the id is the X-Request-Id response header and the
// error body's requestId, on successes, refusals and unknown routes alike.
import { describe, expect, it } from "vitest";
import { useTestApp } from "./helpers/app.ts";

const t = useTestApp();
const GENERATED = /^req_[\w-]{20}$/;

async function idsOf(path: string, incoming?: string) {
  const res = await t.request("GET", path, incoming === undefined ? {} : { headers: { "x-request-id": incoming } });
  return { status: res.status, header: res.headers.get("x-request-id"), body: res.body?.error?.requestId };
}

describe("X-Request-Id", () => {
  it.each(["abcdefgh", "trace.2027-03-01_x", "a".repeat(64)])("keeps a well-formed id: %s", async (id) => {
    const r = await idsOf("/v1/nothing-here", id);
    expect(r).toEqual({ status: 404, header: id, body: id });
  });

  it.each([
    ["shorter than 8", "abc1234"],
    ["longer than 64", "a".repeat(65)],
    ["with '=' (hono's own rule would keep it)", "abc=defgh"],
    ["with a slash", "abc/defgh"],
    ["with a space", "abc defgh"],
    ["empty", ""],
  ])("replaces one %s with a generated id", async (_, id) => {
    const r = await idsOf("/v1/nothing-here", id);
    expect(r.header).toMatch(GENERATED);
    expect(r.body).toBe(r.header);
  });

  it("generates a fresh id when none is sent, on successes and refusals", async () => {
    const ok = await idsOf("/health");
    expect(ok.status).toBe(200);
    expect(ok.header).toMatch(GENERATED);
    const refused = await idsOf("/v1/admin/tenant");
    expect(refused.status).toBe(401);
    expect(refused.header).toMatch(GENERATED);
    expect(refused.body).toBe(refused.header);
    expect(refused.header).not.toBe(ok.header);
  });
});
