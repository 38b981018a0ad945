// What a booking costs and what is owed up front (integer minor units only).
import type { ServiceRow } from "./scheduling.ts";

export function depositFor(service: Pick<ServiceRow, "priceAmount" | "depositPercent" | "depositAmount">): number {
  if (service.depositPercent != null) return Math.round((service.priceAmount * service.depositPercent) / 100);
  if (service.depositAmount != null) return Math.min(service.depositAmount, service.priceAmount);
  return 0;
}
