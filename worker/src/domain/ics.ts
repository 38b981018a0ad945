// iCalendar (RFC 5545) text for invitations (METHOD:REQUEST / CANCEL) and staff feeds (PUBLISH): UTC instants,
// escaped text, lines folded at 75 octets, CRLF endings. Pure.

type IcsMethod = "REQUEST" | "CANCEL" | "PUBLISH";

interface IcsPerson {
  name: string;
  email: string;
}

interface IcsEvent {
  /** Stable per booking: every update and the cancellation refer to the same event. */
  uid: string;
  /** Raised on each change, so calendar clients apply the newest version. */
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  summary: string;
  description?: string;
  url?: string;
  status: "CONFIRMED" | "TENTATIVE" | "CANCELLED";
  organizer?: IcsPerson;
  attendee?: IcsPerson;
}

interface IcsCalendar {
  method: IcsMethod;
  /** When this version of the calendar object was created. */
  stampedAt: Date;
  name?: string;
  events: IcsEvent[];
}

export function bookingUid(bookingId: string): string {
  return `${bookingId}@bookra`;
}

/** `20270302T090000Z` */
export function icsUtc(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function escapeText(value: string): string {
  // A lone CR would end the content line as surely as CRLF; other controls cannot appear in TEXT (RFC 5545 3.3.11).
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/[\p{Cc}\u2028\u2029]/gu, " ");
}

/** A parameter value (CN) is quoted; quotes and control characters cannot appear in one. */
function paramValue(value: string): string {
  return `"${value.replace(/[\p{Cc}"]/gu, " ")}"`;
}

/** Folds a content line so no physical line exceeds 75 octets, never splitting a UTF-8 character. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let bytes = 0;
  for (const ch of line) {
    const cp = ch.codePointAt(0) ?? 0;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; // UTF-8 octets, without an encoder per character
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with one space
    if (bytes + size > limit) {
      parts.push(current);
      current = "";
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

function person(role: "ORGANIZER" | "ATTENDEE", p: IcsPerson, extra = ""): string {
  return `${role};CN=${paramValue(p.name)}${extra}:mailto:${p.email}`;
}

function eventLines(e: IcsEvent, stampedAt: Date): string[] {
  const lines = [
    "BEGIN:VEVENT",
    `UID:${e.uid}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${icsUtc(stampedAt)}`,
    `DTSTART:${icsUtc(e.startsAt)}`,
    `DTEND:${icsUtc(e.endsAt)}`,
    `SUMMARY:${escapeText(e.summary)}`,
    `STATUS:${e.status}`,
  ];
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.url) lines.push(`URL:${e.url}`);
  if (e.organizer) lines.push(person("ORGANIZER", e.organizer));
  if (e.attendee) lines.push(person("ATTENDEE", e.attendee, ";ROLE=REQ-PARTICIPANT;RSVP=FALSE"));
  lines.push("END:VEVENT");
  return lines;
}

export function buildIcs(cal: IcsCalendar): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Bookra//Bookings//EN",
    "CALSCALE:GREGORIAN",
    `METHOD:${cal.method}`,
  ];
  if (cal.name) lines.push(`X-WR-CALNAME:${escapeText(cal.name)}`);
  for (const e of cal.events) lines.push(...eventLines(e, cal.stampedAt));
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
