// A booking page on the public client: the catalog, a day's free times, and a booking, all through @bookra/sdk.
// No secret is involved: the public client refuses one. Set VITE_BOOKRA_API / VITE_BOOKRA_TENANT to point elsewhere.
/// <reference types="vite/client" />
import { type BookingCreated, BookraError, createBookra, type PublicService, SlotUnavailableError } from "@bookra/sdk";

const bookra = createBookra({
  baseUrl: import.meta.env.VITE_BOOKRA_API ?? "http://127.0.0.1:8787",
  tenant: import.meta.env.VITE_BOOKRA_TENANT ?? "demo-salon",
});

// (`as T` rather than a constraint: the repository type-checks examples with the Workers types too, whose Element differs.)
const $ = <T = HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $<HTMLParagraphElement>("status");
const serviceSelect = $<HTMLSelectElement>("service");
const dateInput = $<HTMLInputElement>("date");
const slotsBox = $<HTMLDivElement>("slots");
const bookForm = $<HTMLFormElement>("book");

let timezone = "UTC";
let services: PublicService[] = [];
let chosenStart: string | null = null;
let pending: AbortController | null = null;

function say(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

const localTime = (iso: string) =>
  new Date(iso).toLocaleTimeString([], { timeZone: timezone, hour: "2-digit", minute: "2-digit" });

function explain(err: unknown): string {
  if (err instanceof SlotUnavailableError) return "Someone just took that time: pick another one.";
  // A service with a deposit, and the business cannot take payments online yet: nothing was held.
  if (err instanceof BookraError && err.code === "PAYMENTS_NOT_READY")
    return "This business is not taking online payments yet: please contact them to book this service.";
  if (err instanceof BookraError)
    return `${err.message} (${err.code}${err.requestId ? `, request ${err.requestId}` : ""})`;
  return String(err);
}

async function loadSlots(): Promise<void> {
  pending?.abort(); // a newer choice of service or day wins over a slower older request
  pending = new AbortController();
  chosenStart = null;
  bookForm.hidden = true;
  slotsBox.replaceChildren();
  say("Looking for free times…");
  try {
    const { slots } = await bookra.availability.list(
      { serviceId: serviceSelect.value, from: dateInput.value, to: dateInput.value },
      { signal: pending.signal },
    );
    for (const slot of slots) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = localTime(slot.start);
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => {
        for (const b of slotsBox.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b === button));
        chosenStart = slot.start;
        $("chosen").textContent = `${serviceSelect.selectedOptions[0]?.text} at ${localTime(slot.start)}`;
        bookForm.hidden = false;
      });
      slotsBox.appendChild(button);
    }
    say(slots.length ? `${slots.length} free times (${timezone})` : "Nothing free that day: try another.");
  } catch (err) {
    if (err instanceof BookraError && err.code === "ABORTED") return;
    say(explain(err), true);
  }
}

function showBooked(created: BookingCreated): void {
  const { booking, manageToken } = created;
  bookForm.hidden = true;
  $("done").hidden = false;
  const price = services.find((s) => s.id === booking.serviceId)?.price;
  $("summary").textContent = `${booking.id}: ${localTime(booking.start)}–${localTime(booking.end)}, ${booking.status}${
    price ? `, ${(price.amount / 100).toFixed(2)} ${price.currency}` : ""
  }${created.checkout ? ` — pay the deposit at ${created.checkout.url}` : ""}`;
  $("cancel").onclick = async () => {
    try {
      const cancelled = await bookra.bookings.cancel(booking.id, { manageToken });
      $("done").hidden = true;
      await loadSlots();
      say(`Booking ${cancelled.id} is ${cancelled.status}; its time is free again.`);
    } catch (err) {
      say(explain(err), true);
    }
  };
}

bookForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!chosenStart) return;
  say("Booking…");
  try {
    // The SDK adds an Idempotency-Key and keeps it across its retries: a flaky network cannot book twice.
    const created = await bookra.bookings.create({
      serviceId: serviceSelect.value,
      start: chosenStart,
      customer: { name: $<HTMLInputElement>("name").value, email: $<HTMLInputElement>("email").value },
    });
    say("Booked. Keep the manage token to change or cancel it later.");
    showBooked(created);
  } catch (err) {
    say(explain(err), true);
    if (err instanceof SlotUnavailableError) await loadSlots();
  }
});

async function start(): Promise<void> {
  try {
    const catalog = await bookra.catalog.get();
    timezone = catalog.tenant.timezone;
    services = catalog.services;
    $("title").textContent = `Book at ${catalog.tenant.name}`;
    if (catalog.tenant.branding.primaryColor)
      document.documentElement.style.setProperty("--accent", catalog.tenant.branding.primaryColor);
    for (const s of services) serviceSelect.add(new Option(`${s.name} (${s.durationMinutes} min)`, s.id));
    const tomorrow = new Date(Date.now() + 86_400_000);
    dateInput.value = new Intl.DateTimeFormat("en-CA", { timeZone: timezone }).format(tomorrow);
    serviceSelect.addEventListener("change", loadSlots);
    dateInput.addEventListener("change", loadSlots);
    await loadSlots();
  } catch (err) {
    say(`Could not load the catalog: ${explain(err)}. Is \`npm start\` running?`, true);
  }
}

void start();
