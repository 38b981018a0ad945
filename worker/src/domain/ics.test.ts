// The iCalendar text is read back by a real parser (ical.js): UTC instants, escaping, folding, methods.
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { buildIcs, foldLine, icsUtc } from "./ics.ts";

const base = {
  uid: "bkg_1@bookra",
  sequence: 2,
  startsAt: new Date("2027-03-28T00:30:00Z"), // the night London moves to summer time
  endsAt: new Date("2027-03-28T01:30:00Z"),
  summary: "Cut, colour; and \\ more at Café Ünïcode",
  description: `line one\nline two with a long tail ${"x".repeat(120)} 🎉`,
  url: "http://bookra.test/manage/demo/bkg_1?token=mt_abc",
  status: "CONFIRMED" as const,
  organizer: { name: 'Salon "Ada"', email: "bookings@bookra.local" },
  attendee: { name: "Grace", email: "grace@example.com" },
};

function parse(text: string) {
  return new ICAL.Component(ICAL.parse(text));
}

describe("buildIcs", () => {
  it("round-trips through ical.js with UTC times and escaped text", () => {
    const text = buildIcs({ method: "REQUEST", stampedAt: new Date("2027-03-01T08:00:00Z"), events: [base] });
    expect(text.endsWith("\r\n")).toBe(true);
    for (const line of text.split("\r\n")) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    const cal = parse(text);
    expect(cal.getFirstPropertyValue("method")).toBe("REQUEST");
    const vevent = cal.getFirstSubcomponent("vevent")!;
    const event = new ICAL.Event(vevent);
    expect(event.uid).toBe("bkg_1@bookra");
    expect(event.sequence).toBe(2);
    expect(event.startDate.zone?.tzid).toBe("UTC");
    expect(event.startDate.toJSDate().toISOString()).toBe("2027-03-28T00:30:00.000Z");
    expect(event.endDate.toJSDate().toISOString()).toBe("2027-03-28T01:30:00.000Z");
    expect(event.summary).toBe(base.summary);
    expect(event.description).toBe(base.description);
    expect(vevent.getFirstPropertyValue("url")).toBe(base.url);
    expect(vevent.getFirstProperty("organizer")?.getParameter("cn")).toBe("Salon  Ada ");
    expect(vevent.getFirstPropertyValue("attendee")).toBe("mailto:grace@example.com");
  });

  it("writes a CANCEL with the cancelled status and a feed with several events", () => {
    const cancel = parse(
      buildIcs({ method: "CANCEL", stampedAt: new Date(), events: [{ ...base, status: "CANCELLED", sequence: 3 }] }),
    );
    expect(cancel.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(cancel.getFirstSubcomponent("vevent")?.getFirstPropertyValue("status")).toBe("CANCELLED");
    const feed = parse(
      buildIcs({
        method: "PUBLISH",
        name: "Ada · Salon",
        stampedAt: new Date(),
        events: [base, { ...base, uid: "bkg_2@bookra", status: "TENTATIVE" }],
      }),
    );
    expect(feed.getFirstPropertyValue("x-wr-calname")).toBe("Ada · Salon");
    expect(feed.getAllSubcomponents("vevent").map((e) => e.getFirstPropertyValue("uid"))).toEqual([
      "bkg_1@bookra",
      "bkg_2@bookra",
    ]);
  });

  it("keeps a name with a lone CR or other control characters inside its one content line", () => {
    const text = buildIcs({
      method: "REQUEST",
      stampedAt: new Date(0),
      events: [{ ...base, summary: "Cut\rATTENDEE:mailto:x@evil\u0000\u2028!" }],
    });
    const summary = parse(text).getFirstSubcomponent("vevent")!.getFirstPropertyValue("summary");
    expect(summary).toBe("Cut\nATTENDEE:mailto:x@evil  !");
    expect(text.split("\r\n").filter((l) => l.startsWith("ATTENDEE:mailto:x@evil"))).toEqual([]);
  });

  it("formats instants and folds without splitting a character", () => {
    expect(icsUtc(new Date("2027-03-02T09:05:07.123Z"))).toBe("20270302T090507Z");
    const folded = foldLine(`SUMMARY:${"é".repeat(60)}`);
    expect(folded.split("\r\n ").join("")).toBe(`SUMMARY:${"é".repeat(60)}`);
    for (const part of folded.split("\r\n")) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(75);
  });
});
