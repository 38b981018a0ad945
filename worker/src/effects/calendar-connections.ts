// Staff calendar connections (Google): the OAuth refresh token is a secret at rest, stored encrypted
// (lib/encryption.ts) and bound to its staff member's row. Tokens stored before encryption are still read, and
// rewritten encrypted by the first reader.
import { and, eq } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { staffCalendarConnections } from "../db/schema/index.ts";
import { type DataKeys, decryptSecret, encryptSecret, needsReencryption } from "../lib/encryption.ts";

export interface CalendarConnection {
  staffId: string;
  calendarId: string;
  refreshToken: string;
}

export function calendarTokenContext(staffId: string): string {
  return `staff_calendar_connections.refresh_token:${staffId}`;
}

/** Connects (or reconnects) a staff member's calendar; the refresh token is encrypted, or the write is refused. */
export async function saveCalendarConnection(
  tx: Tx,
  keys: DataKeys | undefined,
  c: CalendarConnection & { tenantId: string },
): Promise<void> {
  const refreshToken = await encryptSecret(keys, c.refreshToken, calendarTokenContext(c.staffId));
  await tx
    .insert(staffCalendarConnections)
    .values({ tenantId: c.tenantId, staffId: c.staffId, provider: "google", calendarId: c.calendarId, refreshToken })
    .onConflictDoUpdate({ target: staffCalendarConnections.staffId, set: { calendarId: c.calendarId, refreshToken } });
}

/** The staff member's connection with its refresh token decrypted, or null when they connected none. */
export async function readCalendarConnection(
  tx: Tx,
  keys: DataKeys | undefined,
  staffId: string,
): Promise<CalendarConnection | null> {
  const [row] = await tx.select().from(staffCalendarConnections).where(eq(staffCalendarConnections.staffId, staffId));
  if (!row) return null;
  const context = calendarTokenContext(staffId);
  const refreshToken = await decryptSecret(keys, row.refreshToken, context);
  if (needsReencryption(keys, row.refreshToken))
    await tx
      .update(staffCalendarConnections)
      .set({ refreshToken: await encryptSecret(keys, refreshToken, context) })
      .where(
        and(eq(staffCalendarConnections.staffId, staffId), eq(staffCalendarConnections.refreshToken, row.refreshToken)),
      );
  return { staffId: row.staffId, calendarId: row.calendarId, refreshToken };
}
