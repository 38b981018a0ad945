// Money: a placeholder that says what the money issues bring here (payments, reports, payouts, the ledger); its
// place in the navigation stays, so they fill this folder without touching any other page.
import { onLinkClick } from "../../models/router.ts";
import { tp } from "./texts.ts";

export function Page() {
  return (
    <section class="page money" aria-labelledby="page-title">
      <h1 id="page-title">{tp("title")}</h1>
      <div class="panel">
        <p>{tp("soon")}</p>
        <ul>
          <li>{tp("payments")}</li>
          <li>{tp("reports")}</li>
          <li>{tp("payouts")}</li>
          <li>{tp("ledger")}</li>
        </ul>
        <p class="muted">
          <a href="/app/bookings" onClick={(e) => onLinkClick(e, "/bookings")}>
            {tp("meanwhile")}
          </a>
        </p>
      </div>
    </section>
  );
}
