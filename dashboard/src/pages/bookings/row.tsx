// One booking as a row of a list (the bookings list, a customer's page): when, who, what, with whom, its status; the
// row's link opens the booking's page.
import type { AdminBooking } from "@bookra/sdk/admin";
import { fmtDay, fmtTime, t } from "../../models/i18n.ts";
import { onLinkClick } from "../../models/router.ts";
import { toLocal } from "../../models/time.ts";
import { FlagBadge } from "./flag.tsx";
import { tp } from "./texts.ts";

export function when(b: { start: string; end: string }, tz: string): string {
  return `${fmtDay(toLocal(b.start, tz).date, "short")} ${fmtTime(b.start, tz)}–${fmtTime(b.end, tz)}`;
}

export function BookingRow({ b, tz, showCustomer = true }: { b: AdminBooking; tz: string; showCustomer?: boolean }) {
  const href = `/bookings/${encodeURIComponent(b.id)}`;
  return (
    <li class={`booking status-${b.status}`}>
      <a
        class="row-link"
        href={`/app${href}`}
        onClick={(e) => onLinkClick(e, href)}
        aria-label={tp("open", { name: b.customer.name, when: when(b, tz) })}
      >
        <span class="when">{when(b, tz)}</span>
      </a>
      <span class="who">
        {showCustomer && (
          <>
            <strong>{b.customer.name}</strong>
            <span class="muted contact">
              {" "}
              {b.customer.phone ?? ""} {b.customer.email}
            </span>
            <br />
          </>
        )}
        {b.serviceName} · {b.staffName}
      </span>
      <span class="badge">{t(`status.${b.status}`)}</span>
      <FlagBadge flag={b.paymentFlag} />
    </li>
  );
}
