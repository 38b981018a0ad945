// Booking rows → the API's booking object, in one place.
import type { Booking } from "../../schemas/booking.ts";
import { iso } from "./availability.ts";

export interface BookingViewRow {
  id: string;
  status: Booking["status"];
  serviceId: string;
  staffId: string;
  startsAt: Date | number;
  endsAt: Date | number;
  priceAmount: number;
  depositAmount: number;
  currency: string;
  holdExpiresAt: Date | number | null;
  createdAt: Date | number;
}

const ms = (v: Date | number) => (typeof v === "number" ? v : v.getTime());

export function toBooking(row: BookingViewRow): Booking {
  return {
    id: row.id,
    status: row.status,
    serviceId: row.serviceId,
    staffId: row.staffId,
    start: iso(ms(row.startsAt)),
    end: iso(ms(row.endsAt)),
    price: { amount: Number(row.priceAmount), currency: row.currency },
    deposit: Number(row.depositAmount) > 0 ? { amount: Number(row.depositAmount), currency: row.currency } : null,
    holdExpiresAt: row.holdExpiresAt === null ? null : iso(ms(row.holdExpiresAt)),
    createdAt: new Date(ms(row.createdAt)).toISOString(),
  };
}
