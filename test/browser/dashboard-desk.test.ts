// Paying at the venue in Chromium against the real stack (issue 13 item 6): the owner opens Today, takes a cash
// payment with a tip for a finished haircut through the desk form, sees an overpayment refused at its field first,
// and the completion's journal entry is then in the ledger (GET /v1/admin/ledger?bookingId=). No answer is scripted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bookAt,
  type DashboardWorld,
  dashboardContext,
  must,
  signInThroughPage,
  signUpBusiness,
  startDashboardWorld,
} from "./dashboard-world.ts";
import { watch } from "./harness.ts";

let w: DashboardWorld;
let base: string;

beforeAll(async () => {
  w = await startDashboardWorld();
  base = w.stack.baseUrl;
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

describe("Today's desk form", () => {
  it("completes a booking with cash and a tip, refusing an undeclared overpayment at the field, and posts the ledger entry", async () => {
    const b = await signUpBusiness(base, { name: "Desk Studio" });
    const customer = { name: "Dora Desk", email: `dora-${b.slug}@example.com` };
    const booking = await bookAt(base, b, { staffId: b.ana.id, serviceId: b.haircut }, 10, 0, customer);
    const { context, page } = await dashboardContext(w, b);
    const { errors } = watch(page);
    await signInThroughPage(page, base, "/today", b.owner.email, b.owner.password);

    await page.getByRole("button", { name: /^Take payment: Dora Desk 10:00\sAM$/ }).click();
    const form = page.getByRole("form", { name: "Paid at the desk" });
    await form.locator("dd.due", { hasText: "35.00" }).waitFor();

    // 40.00 in cash for a 35.00 haircut and no tip declared: refused, the message at the cash field, nothing stored.
    await form.getByLabel("Cash").fill("40");
    await form.getByRole("button", { name: "Complete", exact: true }).click();
    await form.getByText("More than the balance due").waitFor();
    expect(await form.getByLabel("Cash").getAttribute("aria-invalid")).toBe("true");
    expect((await must(base, "GET", `/v1/admin/bookings/${booking.id}`, undefined, b.apiKey)).status).toBe("confirmed");

    // Declared as a 5.00 tip for Ana: completed.
    await form.getByLabel("Tip").fill("5");
    await form.locator("dd.to-collect", { hasText: "40.00" }).waitFor();
    await form.getByRole("button", { name: "Complete", exact: true }).click();
    await page
      .locator(".booking", { hasText: "Dora Desk" })
      .locator(".badge", { hasText: "Completed" })
      .first()
      .waitFor();

    const ledger = await must(base, "GET", `/v1/admin/ledger?bookingId=${booking.id}`, undefined, b.apiKey);
    const entry = (
      ledger.data as { source: { type: string; id: string }; lines: { account: string; amount: number }[] }[]
    ).find((e) => e.source.type === "booking_completion");
    expect(entry?.source.id).toBe(booking.id);
    expect(Object.fromEntries(entry!.lines.map((l) => [l.account, l.amount]))).toEqual({
      "desk:cash": 4000,
      service_revenue: -3500,
      [`tips_payable:${b.ana.id}`]: -500,
    });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
