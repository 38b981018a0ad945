// Business and staff profiles: edited through the admin API, shown in the public catalogue; logo and photo URLs
// must be https on a public host; bad input changes nothing.
import { describe, expect, it } from "vitest";
import { useTestApp } from "../../../../test/helpers/app.ts";
import { createSalon } from "../../../../test/helpers/salon.ts";
import { Catalog } from "../../schemas/catalog.ts";
import { Staff } from "../../schemas/staff.ts";
import { Tenant } from "../../schemas/tenant.ts";

const t = useTestApp();

const profile = {
  address: "12 Rose Street, Edinburgh EH2 2PR",
  phone: "+44 131 496 0000",
  about: "A small salon in the New Town.",
  logoUrl: "https://cdn.example.com/logo.png",
};

describe("business and staff profiles", () => {
  it("sets the business profile and a staff photo and bio, and shows them in the public catalogue", async () => {
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    const version = async () =>
      (await t.database.admin("SELECT schedule_version FROM tenants WHERE id = $1", [s.tenant.id]))[0]!
        .schedule_version;
    const before = await version();
    const empty = Tenant.parse((await t.request("GET", "/v1/admin/tenant", { key })).body);
    expect(empty.profile).toEqual({ address: null, phone: null, about: null, logoUrl: null });
    const patched = await t.request("PATCH", "/v1/admin/tenant", { key, body: { profile } });
    expect(patched.status).toBe(200);
    expect(Tenant.parse(patched.body).profile).toEqual(profile);
    expect(await version()).toBe(before); // a profile change keeps the schedule cache
    const partly = await t.request("PATCH", "/v1/admin/tenant", { key, body: { profile: { about: null, phone: "" } } });
    expect(Tenant.parse(partly.body).profile).toEqual({ ...profile, about: null, phone: null });

    const staffId = s.staffIds[0]!;
    const photoUrl = "https://cdn.example.com/ana.jpg";
    const st = await t.request("PATCH", `/v1/admin/staff/${staffId}`, {
      key,
      body: { photoUrl, bio: "  Colourist.  " },
    });
    expect(st.status).toBe(200);
    expect(Staff.parse(st.body)).toMatchObject({ photoUrl, bio: "Colourist." });
    const created = await t.request("POST", "/v1/admin/staff", {
      key,
      body: { name: "Ben", photoUrl: null, bio: "Barber" },
    });
    expect(Staff.parse(created.body)).toMatchObject({ photoUrl: null, bio: "Barber" });

    const catalog = Catalog.parse((await t.request("GET", `/v1/public/${s.tenant.slug}/catalog`)).body);
    expect(catalog.profile).toEqual({ ...profile, about: null, phone: null });
    expect(catalog.staff).toEqual([
      expect.objectContaining({ id: staffId, photoUrl, bio: "Colourist." }),
      expect.objectContaining({ id: created.body.id, photoUrl: null, bio: "Barber" }),
    ]);
  });

  it("refuses non-https, private-host and oversized values with a 400 and changes nothing", async () => {
    const s = await createSalon(t);
    const key = s.tenant.apiKey;
    await t.request("PATCH", "/v1/admin/tenant", { key, body: { profile } });
    for (const bad of [
      { logoUrl: "http://cdn.example.com/logo.png" },
      { logoUrl: "https://127.0.0.1/logo.png" },
      { logoUrl: "https://user:pw@cdn.example.com/logo.png" },
      { logoUrl: "https://cdn.example.com:8443/logo.png" },
      { logoUrl: "javascript:alert(1)" },
      { logoUrl: `https://cdn.example.com/${"a".repeat(500)}` },
      { about: "x".repeat(2001) },
      { address: "a\u0000b" },
      { phone: "call me" },
      { website: "https://example.com" },
    ]) {
      const r = await t.request("PATCH", "/v1/admin/tenant", { key, body: { profile: bad } });
      expect(r.status, JSON.stringify(bad).slice(0, 60)).toBe(400);
      expect(r.body.error.code).toBe("VALIDATION_FAILED");
    }
    expect(Tenant.parse((await t.request("GET", "/v1/admin/tenant", { key })).body).profile).toEqual(profile);
    const staffId = s.staffIds[0]!;
    for (const bad of [
      { photoUrl: "http://cdn.example.com/a.jpg" },
      { photoUrl: "https://localhost/a.jpg" },
      { bio: "b".repeat(2001) },
    ])
      expect((await t.request("PATCH", `/v1/admin/staff/${staffId}`, { key, body: bad })).status).toBe(400);
    expect(Staff.parse((await t.request("GET", `/v1/admin/staff/${staffId}`, { key })).body)).toMatchObject({
      photoUrl: null,
      bio: null,
    });
  });
});
