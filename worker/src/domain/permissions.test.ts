import { describe, expect, it } from "vitest";
import { mayCall, mayGrantRole, OWNER_ONLY_OPERATIONS, operationKey, staffScopeOf } from "./permissions.ts";

describe("the role table", () => {
  it("lets the owner call anything, including operations nobody listed", () => {
    expect(mayCall("owner", "POST /v1/admin/payments/connect")).toBe(true);
    expect(mayCall("owner", operationKey("delete", "/v1/admin/api-keys/{id}"))).toBe(true);
  });

  it("denies managers and staff what is not listed (a route added later is owner-only)", () => {
    for (const role of ["manager", "staff"] as const) {
      expect(mayCall(role, "POST /v1/admin/payments/connect")).toBe(false);
      expect(mayCall(role, "GET /v1/admin/reports/summary")).toBe(false);
      expect(mayCall(role, "GET /v1/admin/api-keys")).toBe(false);
    }
  });

  it("keeps the ledger the owner's alone", () => {
    expect(OWNER_ONLY_OPERATIONS).toContain("GET /v1/admin/ledger");
    for (const op of OWNER_ONLY_OPERATIONS) {
      expect(mayCall("owner", op)).toBe(true);
      expect(mayCall("manager", op), op).toBe(false);
      expect(mayCall("staff", op), op).toBe(false);
    }
  });

  it("lets a manager run the business but not API keys; staff only their bookings, time off and the catalogue", () => {
    expect(mayCall("manager", "PATCH /v1/admin/services/{id}")).toBe(true);
    expect(mayCall("manager", "POST /v1/admin/invitations")).toBe(true);
    expect(mayCall("staff", "GET /v1/admin/bookings")).toBe(true);
    expect(mayCall("staff", "POST /v1/admin/staff/{id}/time-off")).toBe(true);
    expect(mayCall("staff", "GET /v1/admin/calendar")).toBe(true);
    expect(mayCall("staff", "GET /v1/admin/customers")).toBe(false);
    expect(mayCall("staff", "GET /v1/admin/services")).toBe(true);
    expect(mayCall("staff", "PATCH /v1/admin/services/{id}")).toBe(false);
    expect(mayCall("staff", "GET /v1/admin/staff")).toBe(false);
    expect(mayCall("staff", "GET /v1/admin/tenant")).toBe(false);
    expect(mayCall("staff", "POST /v1/admin/bookings")).toBe(false);
  });

  it("keeps owners for owners, and confines staff to their staff record", () => {
    expect(mayGrantRole("owner", "owner")).toBe(true);
    expect(mayGrantRole("manager", "owner")).toBe(false);
    expect(mayGrantRole("manager", "staff")).toBe(true);
    expect(mayGrantRole("staff", "staff")).toBe(false);
    expect(staffScopeOf({ kind: "session", role: "staff", sessionId: "s", userId: "u", staffId: "stf_1" })).toBe(
      "stf_1",
    );
    expect(staffScopeOf({ kind: "session", role: "manager", sessionId: "s", userId: "u", staffId: null })).toBeNull();
    expect(staffScopeOf(undefined)).toBeNull();
  });
});
