// Real calendar adapter: Google Calendar v3 with the staff member's OAuth refresh token. Event ids are derived from
// the booking, so a retried insert answers 409 and becomes an update: never a duplicate event.
import { expectOk, type Fetch } from "./http.ts";
import { type CalendarConnection, type CalendarEvent, type CalendarProvider, ProviderError } from "./types.ts";

export interface GoogleCalendarConfig {
  clientId: string;
  clientSecret: string;
  fetch?: Fetch;
  apiBaseUrl?: string;
  tokenUrl?: string;
}

export function googleCalendar(config: GoogleCalendarConfig): CalendarProvider {
  const doFetch = config.fetch ?? fetch;
  const api = config.apiBaseUrl ?? "https://www.googleapis.com/calendar/v3";
  // Access tokens live about an hour; an adapter lives for one queue batch, so a per-instance cache is enough.
  const tokens = new Map<string, { token: string; expiresAt: number }>();

  async function accessToken(c: CalendarConnection): Promise<string> {
    const cached = tokens.get(c.refreshToken);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const res = await doFetch(config.tokenUrl ?? "https://oauth2.googleapis.com/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: config.clientId,
        client_secret: config.clientSecret,
        refresh_token: c.refreshToken,
        grant_type: "refresh_token",
      }),
    });
    await expectOk("calendar", "Google token refresh", res);
    const json = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!json.access_token) throw new ProviderError("calendar", "Google token refresh returned no access token");
    tokens.set(c.refreshToken, {
      token: json.access_token,
      expiresAt: Date.now() + ((json.expires_in ?? 3600) - 60) * 1000,
    });
    return json.access_token;
  }

  const eventsUrl = (c: CalendarConnection) => `${api}/calendars/${encodeURIComponent(c.calendarId)}/events`;

  async function call(c: CalendarConnection, method: string, url: string, body?: unknown): Promise<Response> {
    return doFetch(url, {
      method,
      headers: {
        authorization: `Bearer ${await accessToken(c)}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  return {
    adapter: "google",
    async upsertEvent({ connection, event, idempotencyKey }) {
      const body = eventResource(event, idempotencyKey);
      const inserted = await call(connection, "POST", `${eventsUrl(connection)}?sendUpdates=none`, body);
      if (inserted.status !== 409) {
        await expectOk("calendar", "Google event insert", inserted);
        return;
      }
      // The id exists (an earlier attempt, a reschedule, or a cancelled event coming back): replace it.
      const url = `${eventsUrl(connection)}/${encodeURIComponent(event.eventId)}?sendUpdates=none`;
      await expectOk("calendar", "Google event update", await call(connection, "PUT", url, body));
    },
    async deleteEvent({ connection, eventId }) {
      const url = `${eventsUrl(connection)}/${encodeURIComponent(eventId)}?sendUpdates=none`;
      await expectOk("calendar", "Google event delete", await call(connection, "DELETE", url), [404, 410]);
    },
  };
}

function eventResource(event: CalendarEvent, idempotencyKey: string) {
  return {
    id: event.eventId,
    status: "confirmed",
    summary: event.summary,
    description: event.description,
    start: { dateTime: event.startsAt.toISOString(), timeZone: event.timeZone },
    end: { dateTime: event.endsAt.toISOString(), timeZone: event.timeZone },
    extendedProperties: { private: { bookraLastChange: idempotencyKey } },
  };
}
