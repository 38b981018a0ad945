// A booking's payment flag (a mismatched amount, a dispute) as the pages show it: a small badge in a list row or
// beside the status, and a note on top of the money panel that tells the owner what to do.
import type { AdminBooking } from "@bookra/sdk/admin";
import { flagLabel } from "./money-labels.ts";
import { tp } from "./texts.ts";

/** The badge of a flagged booking; its hint, if any, as the tooltip. Nothing for a booking without a flag. */
export function FlagBadge({ flag }: { flag: AdminBooking["paymentFlag"] }) {
  const l = flagLabel(flag);
  if (!l) return null;
  return (
    <span
      class={l.tone ? `badge flag ${l.tone}` : "badge flag"}
      data-flag={flag}
      title={l.hint ? tp(l.hint) : undefined}
    >
      {tp(l.label)}
    </span>
  );
}

/** The flag in words; for the owner (who alone may refund), what to do about it. */
export function FlagNote({ flag, owner }: { flag: AdminBooking["paymentFlag"]; owner: boolean }) {
  const l = flagLabel(flag);
  if (!l) return null;
  return (
    <div
      class={l.tone ? `flag-note ${l.tone}` : "flag-note"}
      data-flag={flag}
      role={l.tone === "bad" ? "alert" : undefined}
    >
      <strong>{tp(l.label)}</strong>
      {owner && l.hint && <p>{tp(l.hint)}</p>}
    </div>
  );
}
