// The tenant's cancellation and no-show policy (issue 13 item 5): stored through PATCH /v1/admin/tenant, the older
// `lateRefundPercent` still accepted, bad values refused with nothing stored, and the policy in the public catalog.
import { describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";

const t = useTestApp();

describe("cancellation policy", () => {
  it("stores free window, late keep % and no-show keep %, answering the older lateRefundPercent too", async () => {
    const tenant = await t.createTenant();
    const res = await t.request("PATCH", "/v1/admin/tenant", {
      key: tenant.apiKey,
      body: { policies: { cancellation: { freeUntilHours: 12, lateKeepPercent: 40, noShowKeepPercent: 75 } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.policies.cancellation).toEqual({
      freeUntilHours: 12,
      lateKeepPercent: 40,
      noShowKeepPercent: 75,
      lateRefundPercent: 60,
    });
    const catalog = await t.request("GET", `/v1/public/${tenant.slug}/catalog`);
    expect(catalog.body.cancellationPolicy).toEqual({ freeUntilHours: 12, lateKeepPercent: 40, noShowKeepPercent: 75 });
  });

  it("accepts the older shape and keeps what it does not name", async () => {
    const tenant = await t.createTenant();
    await t.request("PATCH", "/v1/admin/tenant", {
      key: tenant.apiKey,
      body: { policies: { cancellation: { freeUntilHours: 6, lateKeepPercent: 10, noShowKeepPercent: 50 } } },
    });
    const res = await t.request("PATCH", "/v1/admin/tenant", {
      key: tenant.apiKey,
      body: { policies: { cancellation: { freeUntilHours: 48, lateRefundPercent: 30 } } },
    });
    expect(res.status).toBe(200);
    expect(res.body.policies.cancellation).toEqual({
      freeUntilHours: 48,
      lateKeepPercent: 70,
      noShowKeepPercent: 50,
      lateRefundPercent: 30,
    });
  });

  it("publishes the default policy for a tenant that set none", async () => {
    const tenant = await t.createTenant();
    const catalog = await t.request("GET", `/v1/public/${tenant.slug}/catalog`);
    expect(catalog.body.cancellationPolicy).toEqual({
      freeUntilHours: 24,
      lateKeepPercent: 100,
      noShowKeepPercent: 100,
    });
  });

  it.each([
    ["negative hours", { freeUntilHours: -1, lateKeepPercent: 50 }],
    ["fractional hours", { freeUntilHours: 1.5 }],
    ["late keep above 100 %", { freeUntilHours: 24, lateKeepPercent: 101 }],
    ["no-show keep above 100 %", { freeUntilHours: 24, noShowKeepPercent: 150 }],
    ["a negative percentage", { freeUntilHours: 24, noShowKeepPercent: -5 }],
    ["keep and refund that disagree", { freeUntilHours: 24, lateKeepPercent: 50, lateRefundPercent: 20 }],
    ["an unknown field", { freeUntilHours: 24, keepAll: true }],
  ])("refuses %s with 400 VALIDATION_FAILED and stores nothing", async (_n, cancellation) => {
    const tenant = await t.createTenant();
    const before = await t.request("GET", "/v1/admin/tenant", { key: tenant.apiKey });
    const res = await t.request("PATCH", "/v1/admin/tenant", {
      key: tenant.apiKey,
      body: { name: "Changed", policies: { cancellation } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect((await t.request("GET", "/v1/admin/tenant", { key: tenant.apiKey })).body).toEqual(before.body);
  });
});
