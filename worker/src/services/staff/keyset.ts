// Keyset pagination for admin lists: `(created_at, id)` order, opaque base64url-JSON cursors. Shared by the
// staff, services and api-keys lists (it belongs in services/ once that folder is open for shared helpers).
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { ValidationFailed } from "../../errors.ts";

export interface Keyset {
  /** created_at as an ISO instant with microseconds, exactly as stored. */
  at: string;
  id: string;
}

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The exact created_at of a row as text: a JS Date would drop the microseconds and repeat or skip rows. */
export const cursorAt = (createdAt: AnyColumn) =>
  sql<string>`to_char(${createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Decodes a cursor this API issued; anything else is a 400 (never a 500, never a silent first page). */
export function decodeCursor<T>(cursor: string, accept: (v: Record<string, unknown>) => T | null): T {
  let value: unknown;
  try {
    if (!/^[\w-]+$/.test(cursor)) throw new Error("alphabet");
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    value = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(
        Uint8Array.from(binary, (c) => c.charCodeAt(0)),
      ),
    );
  } catch {
    value = null;
  }
  const decoded =
    value && typeof value === "object" && !Array.isArray(value) ? accept(value as Record<string, unknown>) : null;
  if (decoded === null)
    throw new ValidationFailed("The cursor is malformed", [{ path: ["cursor"], message: "Invalid cursor" }]);
  return decoded;
}

/** Ids as this API issues them (`stf_…`): a cursor carrying anything else was not issued here. */
export const CURSOR_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A real instant from 1970 to 9999: `2027-02-30` or `24:00` would be rolled over, year 0 refused by Postgres. */
function isIssuedInstant(at: string): boolean {
  if (!ISO_MICROS.test(at) || at < "1970") return false;
  const ms = Date.parse(at);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 23) === at.slice(0, 23);
}

export function decodeKeyset(cursor: string | undefined): Keyset | null {
  if (cursor === undefined) return null;
  return decodeCursor(cursor, (v) =>
    typeof v.at === "string" && isIssuedInstant(v.at) && typeof v.id === "string" && CURSOR_ID.test(v.id)
      ? { at: v.at, id: v.id }
      : null,
  );
}

/** The WHERE condition for rows after the cursor. */
export function afterKeyset(createdAt: AnyColumn, id: AnyColumn, keyset: Keyset | null): SQL | undefined {
  return keyset ? sql`(${createdAt}, ${id}) > (${keyset.at}::timestamptz, ${keyset.id})` : undefined;
}

/** The WHERE condition for rows before the cursor, for lists in `(at, id)` descending order (newest first). */
export function beforeKeyset(
  at: AnyColumn,
  id: AnyColumn,
  keyset: { at: string; id: string | number } | null,
): SQL | undefined {
  return keyset ? sql`(${at}, ${id}) < (${keyset.at}::timestamptz, ${keyset.id})` : undefined;
}

/** Splits `limit + 1` fetched rows into a page and the cursor for the next one. */
export function pageOf<R extends { id: string; cursorAt: string }, T>(rows: R[], limit: number, toItem: (row: R) => T) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null,
  };
}
