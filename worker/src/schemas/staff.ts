// Staff members, their weekly hours, time off and per-date overrides (Admin API); wall-clock times are tenant-local.
import { z } from "@hono/zod-openapi";
import { parseHHMM } from "../domain/time.ts";
import { Email, Instant, Interval, LocalDate, Name, nullable, Pagination, WallTime, WallTimeEnd } from "./common.ts";
import { PublicImageUrl } from "./tenant.ts";

const MAX_TIME_OFF_MS = 366 * 86_400_000;

/** Free text that Postgres can store (no NUL characters). */
export const PlainText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !v.includes("\u0000"), { message: "NUL characters are not allowed" });

/** A path id, typed by name (common.ts's IdParam loses the key's name in its type). */
export const PathId = (name: string, prefix: string) =>
  z
    .string()
    .max(64)
    .openapi({ param: { name, in: "path" }, example: `${prefix}_…` });

/** common.ts's Instant lets `Date.parse` roll 2027-02-30 over to March; this also demands a real calendar instant. */
export const CalendarInstant = Instant.refine(
  (v) => {
    const d = new Date(v);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 16) === v.slice(0, 16) && v >= "1970";
  },
  { message: "Not a calendar instant from 1970 on" },
);

/** A calendar date the database can store and a schedule can mean (Postgres has no year 0). */
export const ScheduleDate = LocalDate.refine((v) => v >= "1970-01-01", { message: "Dates start in 1970" });

/** A display name that Postgres can store. */
export const SafeName = Name.refine((v) => !v.includes("\u0000"), { message: "NUL characters are not allowed" });

export const IdList = (prefix: string) =>
  z
    .array(
      z
        .string()
        .min(1)
        .max(64)
        .openapi({ example: `${prefix}_…` }),
    )
    .max(200)
    .refine((ids) => new Set(ids).size === ids.length, { message: "Ids must not repeat" });

const minutesOf = (i: { start: string; end: string }) => ({
  start: parseHHMM(i.start) ?? 0,
  end: parseHHMM(i.end, { allowEndOfDay: true }) ?? 0,
});

/** Adds an issue for every interval that overlaps another one of the same group (touching is fine). */
export function rejectOverlaps<T extends { start: string; end: string }>(group: (i: T) => string | number) {
  return (intervals: T[], ctx: z.RefinementCtx) => {
    const sorted = intervals
      .map((i, index) => ({ index, key: group(i), ...minutesOf(i) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.start - b.start));
    for (let k = 1; k < sorted.length; k++) {
      const prev = sorted[k - 1]!;
      const cur = sorted[k]!;
      if (prev.key === cur.key && cur.start < prev.end)
        ctx.addIssue({ code: "custom", path: [cur.index], message: "Overlaps another interval of the same day" });
    }
  };
}

export const WeeklyInterval = z
  .object({
    weekday: z.number().int().min(1).max(7).openapi({ description: "ISO weekday, Monday = 1" }),
    start: WallTime,
    end: WallTimeEnd,
  })
  .strict()
  .refine((i) => minutesOf(i).start < minutesOf(i).end, { message: "start must be before end" })
  .openapi("WeeklyInterval");
export type WeeklyInterval = z.infer<typeof WeeklyInterval>;

const WeeklyHours = z
  .array(WeeklyInterval)
  .max(168)
  .superRefine(rejectOverlaps((i) => i.weekday));

export const Staff = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    commissionBps: z.number().int(),
    serviceIds: z.array(z.string()),
    weeklyHours: z.array(WeeklyInterval),
    photoUrl: z.string().nullable(),
    bio: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("Staff");
export type Staff = z.infer<typeof Staff>;

const staffFields = {
  name: SafeName,
  email: Email.nullable(),
  commissionBps: z.number().int().min(0).max(10_000).openapi({ description: "Commission in basis points" }),
  serviceIds: IdList("svc"),
  weeklyHours: WeeklyHours,
  photoUrl: nullable(PublicImageUrl),
  bio: nullable(PlainText(2000)),
};

export const StaffCreate = z
  .object({
    ...staffFields,
    email: staffFields.email.optional(),
    commissionBps: staffFields.commissionBps.default(0),
    serviceIds: staffFields.serviceIds.default([]),
    weeklyHours: staffFields.weeklyHours.default([]),
    photoUrl: staffFields.photoUrl.optional(),
    bio: staffFields.bio.optional(),
  })
  .strict()
  .openapi("StaffCreate");
export type StaffCreate = z.infer<typeof StaffCreate>;

/** Partial; `serviceIds` and `weeklyHours`, when given, replace the current ones as a whole. */
export const StaffPatch = z.object(staffFields).partial().strict().openapi("StaffPatch");
export type StaffPatch = z.infer<typeof StaffPatch>;

export const StaffList = z.object({ data: z.array(Staff), nextCursor: z.string().nullable() }).openapi("StaffList");
export type StaffList = z.infer<typeof StaffList>;

export const StaffIdParam = z.object({ id: PathId("id", "stf") });

export const TimeOffCreate = z
  .object({ start: CalendarInstant, end: CalendarInstant, reason: PlainText(500).nullable().optional() })
  .strict()
  .refine((t) => Date.parse(t.start) < Date.parse(t.end), { message: "start must be before end", path: ["end"] })
  .refine((t) => Date.parse(t.end) - Date.parse(t.start) <= MAX_TIME_OFF_MS, {
    message: "At most 366 days",
    path: ["end"],
  })
  .openapi("TimeOffCreate");
export type TimeOffCreate = z.infer<typeof TimeOffCreate>;

export const TimeOff = z
  .object({ id: z.string(), staffId: z.string(), start: z.string(), end: z.string(), reason: z.string().nullable() })
  .openapi("TimeOff");
export type TimeOff = z.infer<typeof TimeOff>;

export const TimeOffList = z
  .object({ data: z.array(TimeOff), nextCursor: z.string().nullable() })
  .openapi("TimeOffList");
export type TimeOffList = z.infer<typeof TimeOffList>;

export const TimeOffParams = StaffIdParam.extend({ timeOffId: PathId("timeOffId", "off") });

const StrictInterval = Interval.strict();

export const OverrideInput = z
  .object({
    intervals: z
      .array(StrictInterval)
      .max(48)
      .superRefine(rejectOverlaps(() => 0)),
  })
  .strict()
  .openapi("OverrideInput", { description: "That local date's hours replace the week's; [] = day off" });
export type OverrideInput = z.infer<typeof OverrideInput>;

export const Override = z
  .object({ date: z.string(), intervals: z.array(z.object({ start: z.string(), end: z.string() })) })
  .openapi("Override");
export type Override = z.infer<typeof Override>;

export const OverrideList = z
  .object({ data: z.array(Override), nextCursor: z.string().nullable() })
  .openapi("OverrideList");
export type OverrideList = z.infer<typeof OverrideList>;

export const OverrideParams = StaffIdParam.extend({
  date: ScheduleDate.openapi({ param: { name: "date", in: "path" }, example: "2027-03-01" }),
});

export const OverrideQuery = Pagination.extend({ from: ScheduleDate.optional(), to: ScheduleDate.optional() }).refine(
  (q) => !q.from || !q.to || q.from <= q.to,
  { message: "from must not be after to", path: ["to"] },
);
export type OverrideQuery = z.infer<typeof OverrideQuery>;
export type ListQuery = z.infer<typeof Pagination>;
