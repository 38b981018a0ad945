import { describe, expect, it } from "vitest";
import { isUnsafeMethod, SESSION_TTL_MS, sessionExpiry, sessionState } from "./sessions.ts";

const at = (iso: string) => new Date(iso);

describe("session lifetimes", () => {
  it("is fresh within the hour, due for renewal after it, expired at its end", () => {
    const s = { lastSeenAt: at("2027-03-01T08:00:00Z"), expiresAt: sessionExpiry(at("2027-03-01T08:00:00Z")) };
    expect(s.expiresAt.getTime() - s.lastSeenAt.getTime()).toBe(SESSION_TTL_MS);
    expect(sessionState(s, at("2027-03-01T08:59:59Z"))).toBe("fresh");
    expect(sessionState(s, at("2027-03-01T09:00:00Z"))).toBe("renew");
    expect(sessionState(s, at("2027-03-15T08:00:00Z"))).toBe("expired");
  });

  it("treats every method but GET, HEAD and OPTIONS as a change", () => {
    expect(["POST", "put", "PATCH", "DELETE"].every(isUnsafeMethod)).toBe(true);
    expect(["GET", "head", "OPTIONS"].some(isUnsafeMethod)).toBe(false);
  });
});
