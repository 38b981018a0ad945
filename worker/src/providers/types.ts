// One interface per third party the side effects talk to. Each has a real adapter (fetch, Worker secrets) and a local
// adapter that records what would have been sent (the dev mailbox); createProviders picks one by configuration.

/**
 * Every call carries an idempotency key (the outbox event id plus the handler name): a real provider that supports
 * one deduplicates on it, the local adapters record each key once.
 */
interface ProviderCall {
  tenantId: string;
  idempotencyKey: string;
}

export interface EmailAttachment {
  filename: string;
  /** e.g. `text/calendar; charset=utf-8; method=REQUEST` */
  contentType: string;
  /** UTF-8 text (the adapters encode it as the provider needs). */
  content: string;
}

export interface EmailMessage extends ProviderCall {
  to: string;
  /** Display name for the From header (the tenant's business name); the address is the provider's sender. */
  fromName: string;
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
}

/** Which adapter answers (`local` records into the dev mailbox): for logs and for telling them apart. */
interface Adapter {
  readonly adapter: string;
}

export interface EmailProvider extends Adapter {
  /** The address mail is sent from; also the ORGANIZER of .ics invitations. */
  readonly senderAddress: string;
  send(message: EmailMessage): Promise<void>;
}

/**
 * Business-initiated WhatsApp messages must use a pre-approved template: the real adapter sends `template`, the
 * local one records `text` (what the customer would read).
 */
export interface WhatsAppMessage extends ProviderCall {
  /** Digits only, with the country code (E.164 without the plus). */
  to: string;
  template: { name: string; parameters: string[] };
  text: string;
}

export interface WhatsAppProvider extends Adapter {
  send(message: WhatsAppMessage): Promise<void>;
}

export interface CalendarConnection {
  staffId: string;
  calendarId: string;
  refreshToken: string;
}

export interface CalendarEvent {
  /** Deterministic per booking, so a retried insert becomes an update instead of a duplicate. */
  eventId: string;
  summary: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
}

export interface CalendarProvider extends Adapter {
  upsertEvent(call: ProviderCall & { connection: CalendarConnection; event: CalendarEvent }): Promise<void>;
  /** Deleting an event that is already gone succeeds. */
  deleteEvent(call: ProviderCall & { connection: CalendarConnection; eventId: string }): Promise<void>;
}

export type ProviderKind = "email" | "whatsapp" | "calendar";

/** A provider call that failed; `retryable` is false for answers a retry cannot change (4xx other than 408/409/429). */
export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderKind,
    message: string,
    readonly status?: number,
    readonly retryable = true,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}
