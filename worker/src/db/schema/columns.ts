// Column helpers shared by the table files of this folder (not re-exported by index.ts).
import { bigint, timestamp } from "drizzle-orm/pg-core";

/** `timestamptz`, read as a Date. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** `bigint` minor units (cents), read as a number: amounts stay far below 2^53. */
export const money = (name: string) => bigint(name, { mode: "number" });
