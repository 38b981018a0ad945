import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/db.ts";
import { decryptSecret, encryptSecret, newDataKey, parseDataKeys } from "../../worker/src/lib/encryption.ts";
import { newId } from "../../worker/src/lib/ids.ts";
import { reencryptSecrets } from "./reencrypt.ts";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

describe("secrets:reencrypt", () => {
  it("moves plaintext and older-key rows of every tenant to the first key, so the old key can go", async () => {
    const OLD = `old:${newDataKey()}`;
    const NEW = `new:${newDataKey()}`;
    const before = parseDataKeys(OLD)!;
    const rotated = parseDataKeys(`${NEW},${OLD}`)!;
    const rows: { table: string; id: string; plain: string; context: string }[] = [];
    for (const n of [1, 2]) {
      const tenantId = newId("ten");
      const staffId = newId("stf");
      await database.admin(
        "INSERT INTO tenants (id, slug, name, timezone, currency) VALUES ($1, $2, 'T', 'UTC', 'EUR')",
        [tenantId, `re-${tenantId.slice(4, 14)}`],
      );
      await database.admin("INSERT INTO staff (id, tenant_id, name) VALUES ($1, $2, 'S')", [staffId, tenantId]);
      const legacy = `whsec_${Buffer.from(`legacy-${n}-0123456789abcdef012345`).toString("base64")}`;
      const underOld = `whsec_${Buffer.from(`old-key-${n}-0123456789abcdef01234`).toString("base64")}`;
      for (const [id, plain, stored] of [
        [newId("whe"), legacy, legacy],
        [newId("whe"), underOld, null],
      ] as const) {
        const context = `webhook_endpoints.secret:${id}`;
        await database.admin(
          "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, secret) VALUES ($1, $2, 'https://x.example', '{booking.created}', $3)",
          [id, tenantId, stored ?? (await encryptSecret(before, plain, context))],
        );
        rows.push({ table: "webhook_endpoints", id, plain, context });
      }
      await database.admin(
        "INSERT INTO staff_calendar_connections (tenant_id, staff_id, refresh_token) VALUES ($1, $2, $3)",
        [tenantId, staffId, `1//refresh-${n}`],
      );
      rows.push({
        table: "staff_calendar_connections",
        id: staffId,
        plain: `1//refresh-${n}`,
        context: `staff_calendar_connections.refresh_token:${staffId}`,
      });
    }

    const result = await reencryptSecrets(database.adminUrl, rotated);
    expect(result).toEqual({ rewritten: { webhook_endpoints: 4, staff_calendar_connections: 2 }, remaining: 0 });
    const onlyNew = parseDataKeys(NEW)!;
    for (const r of rows) {
      const [stored] =
        r.table === "webhook_endpoints"
          ? await database.admin("SELECT secret AS v FROM webhook_endpoints WHERE id = $1", [r.id])
          : await database.admin("SELECT refresh_token AS v FROM staff_calendar_connections WHERE staff_id = $1", [
              r.id,
            ]);
      expect(stored!.v).toMatch(/^enc:v1:new:/);
      expect(stored!.v).not.toContain(r.plain);
      expect(await decryptSecret(onlyNew, stored!.v, r.context)).toBe(r.plain);
    }
    // Nothing left to do: a second run rewrites nothing.
    expect(await reencryptSecrets(database.adminUrl, rotated)).toEqual({
      rewritten: { webhook_endpoints: 0, staff_calendar_connections: 0 },
      remaining: 0,
    });
  });
});
