// Bookable services (Admin API): duration, price, buffers and booking window, with the bounds of the SQL CHECKs.
import { z } from "@hono/zod-openapi";
import { BOOKING_BOUNDS } from "../domain/limits.ts";
import { Money } from "./common.ts";
import { IdList, PathId, PlainText, SafeName } from "./staff.ts";

const MAX_AMOUNT = 100_000_000_00;
const minutes = (min: number, max: number) => z.number().int().min(min).max(max);

export const Deposit = z
  .union([
    z.object({ percent: z.number().int().min(1).max(100) }).strict(),
    z.object({ amount: z.number().int().min(1).max(MAX_AMOUNT) }).strict(),
  ])
  .openapi("Deposit", { description: "Paid up front: a percentage of the price or a fixed amount in minor units" });
export type Deposit = z.infer<typeof Deposit>;

export const Service = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    durationMinutes: z.number().int(),
    price: Money,
    bufferBeforeMinutes: z.number().int(),
    bufferAfterMinutes: z.number().int(),
    minNoticeMinutes: z.number().int(),
    maxAdvanceDays: z.number().int(),
    slotStepMinutes: z.number().int(),
    deposit: Deposit.nullable(),
    staffIds: z.array(z.string()),
    createdAt: z.string(),
  })
  .openapi("Service");
export type Service = z.infer<typeof Service>;

const serviceFields = {
  name: SafeName,
  description: PlainText(2000).nullable(),
  durationMinutes: minutes(5, 1440),
  price: Money.strict(),
  bufferBeforeMinutes: minutes(0, 720),
  bufferAfterMinutes: minutes(0, 720),
  minNoticeMinutes: minutes(0, 525_600),
  maxAdvanceDays: z.number().int().min(1).max(BOOKING_BOUNDS.maxAdvanceDays),
  slotStepMinutes: minutes(5, 1440),
  deposit: Deposit.nullable(),
  staffIds: IdList("stf"),
};

export const ServiceCreate = z
  .object({
    ...serviceFields,
    description: serviceFields.description.optional(),
    bufferBeforeMinutes: serviceFields.bufferBeforeMinutes.default(0),
    bufferAfterMinutes: serviceFields.bufferAfterMinutes.default(0),
    minNoticeMinutes: serviceFields.minNoticeMinutes.default(0),
    maxAdvanceDays: serviceFields.maxAdvanceDays.default(90),
    slotStepMinutes: serviceFields.slotStepMinutes.default(15),
    deposit: serviceFields.deposit.optional(),
    staffIds: serviceFields.staffIds.default([]),
  })
  .strict()
  .openapi("ServiceCreate");
export type ServiceCreate = z.infer<typeof ServiceCreate>;

/** Partial; `staffIds`, when given, replaces the current links as a whole. */
export const ServicePatch = z.object(serviceFields).partial().strict().openapi("ServicePatch");
export type ServicePatch = z.infer<typeof ServicePatch>;

export const ServiceList = z
  .object({ data: z.array(Service), nextCursor: z.string().nullable() })
  .openapi("ServiceList");
export type ServiceList = z.infer<typeof ServiceList>;

export const ServiceIdParam = z.object({ id: PathId("id", "svc") });
