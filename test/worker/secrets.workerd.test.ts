// Secrets in the real bundle (workerd, the local stack's generated DATA_ENCRYPTION_KEYS): webhook signing secrets are
// stored encrypted with WebCrypto AES-GCM, and an API key's use is recorded after the response (waitUntil).
import { describe, expect, it } from "vitest";
import { randomString } from "../../worker/src/lib/ids.ts";
import { eventually, useWorker } from "../helpers/worker.ts";

const w = useWorker();

async function json(res: Response) {
  return { status: res.status, body: (await res.json()) as any };
}

describe("secrets in workerd", () => {
  it("stores a webhook signing secret encrypted and records the API key's use after the response", async () => {
    const slug = `sec-${randomString(8)}`;
    const signup = await json(
      await w.fetch("/v1/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          businessName: "Secret Cuts",
          slug,
          timezone: "UTC",
          currency: "EUR",
          ownerEmail: `${slug}@example.com`,
          ownerPassword: "long enough password",
        }),
      }),
    );
    expect(signup.status).toBe(201);
    const auth = { authorization: `Bearer ${signup.body.apiKey}`, "content-type": "application/json" };
    const created = await json(
      await w.fetch("/v1/admin/webhook-endpoints", {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ url: "https://hooks.example.com/bookra" }),
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const [row] = await w.database.admin("SELECT secret FROM webhook_endpoints WHERE id = $1", [created.body.id]);
    expect(row!.secret).toMatch(/^enc:v1:local1:/);
    expect(row!.secret).not.toContain(created.body.secret.slice(6));

    const used = await eventually(
      () => w.database.admin("SELECT last_used_at FROM api_keys WHERE tenant_id = $1", [signup.body.tenant.id]),
      (rows) => rows[0]?.last_used_at != null,
    );
    expect(used[0]!.last_used_at).toBeInstanceOf(Date);
  });
});
