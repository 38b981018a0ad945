// The booking flow's answer to a refused booking: a business that cannot take the deposit online yet is said so
// politely (its own message, no reference to quote), the customer stays on the form, and the host page hears why.
import type { Catalog } from "@bookra/sdk";
import { describe, expect, it, vi } from "vitest";
import type { WidgetEnv } from "../env.ts";
import { createBookingFlow } from "./flow.ts";

// The SDK's built entry is not there in a source checkout; the flow needs only its error class from it.
vi.mock("@bookra/sdk", () => ({ SlotUnavailableError: class SlotUnavailableError extends Error {} }));

const slot = { start: "2099-03-02T09:00:00Z", end: "2099-03-02T10:00:00Z", staffIds: ["stf_1"] };

const catalog = {
  tenant: { slug: "salon", name: "Salon", timezone: "UTC", currency: "EUR", branding: {} },
  services: [
    {
      id: "svc_1",
      name: "Colour",
      description: null,
      durationMinutes: 60,
      price: { amount: 8000, currency: "EUR" },
      deposit: { percent: 25 },
      staffIds: ["stf_1"],
      bookableOnline: false,
    },
  ],
  staff: [{ id: "stf_1", name: "Ana", serviceIds: ["svc_1"], photoUrl: null, bio: null }],
} as unknown as Catalog;

/** An API error as the SDK throws it: a code, a status and a request id. */
function apiError(code: string, status: number) {
  return Object.assign(new Error(`${code} from the API`), { code, status, requestId: "req_1234567890" });
}

function fakeEnv(refusal: Error, emitted: [string, unknown][]): WidgetEnv {
  return {
    tenant: "salon",
    base: "http://api.test",
    catalog: () => Promise.resolve(catalog),
    emit: (name: string, detail: unknown) => emitted.push([name, detail]),
    api: {
      availability: { list: () => Promise.resolve({ slots: [slot] }) },
      bookings: { create: () => Promise.reject(refusal) },
    },
  } as unknown as WidgetEnv;
}

async function refusedWith(refusal: Error) {
  const emitted: [string, unknown][] = [];
  const flow = createBookingFlow(fakeEnv(refusal, emitted), { service: "svc_1" }, () => null);
  await flow.start();
  flow.chooseSlot(slot);
  flow.details.setField("name", "Ana");
  flow.details.setField("email", "ana@example.com");
  const booked = await flow.submit();
  return { flow, booked, emitted };
}

describe("a booking the business cannot take payment for yet (409 PAYMENTS_NOT_READY)", () => {
  it("shows the polite message, keeps the customer on the form, and tells the host page the code", async () => {
    const { flow, booked, emitted } = await refusedWith(apiError("PAYMENTS_NOT_READY", 409));
    expect(booked).toBe(false);
    expect(flow.state.value.step).toBe("details");
    expect(flow.details.formError.value).toEqual({ key: "paymentsNotReady" });
    expect(emitted).toContainEqual(["booking:failed", { code: "PAYMENTS_NOT_READY", message: expect.any(String) }]);
  });

  it("keeps the generic message, with its reference, for other failures", async () => {
    const { flow } = await refusedWith(apiError("INTERNAL", 500));
    expect(flow.details.formError.value).toEqual({ key: "failed", vars: { ref: "req_1234567890" } });
  });
});
