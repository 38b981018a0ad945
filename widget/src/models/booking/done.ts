// The done step: the booking's calendar links (Google, .ics) and its manage page.
import type { BookingCreated } from "@bookra/sdk";
import { googleCalendarUrl, icsDataUrl } from "../calendar-links.ts";
import type { WidgetEnv } from "../env.ts";

export function manageUrl(env: WidgetEnv, created: BookingCreated): string {
  return `${env.base}/manage/${env.tenant}/${created.booking.id}?token=${encodeURIComponent(created.manageToken)}`;
}

export function calendarLinks(env: WidgetEnv, created: BookingCreated, title: string) {
  const { booking } = created;
  const event = {
    title,
    start: booking.start,
    end: booking.end,
    details: `${env.base}/manage/${env.tenant}/${booking.id}?token=${created.manageToken}`,
    uid: `${booking.id}@bookra`,
  };
  return { google: googleCalendarUrl(event), ics: icsDataUrl(event) };
}
