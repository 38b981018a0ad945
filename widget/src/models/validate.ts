// Hand-written checks of the details form (no zod in the browser bundle); the API validates again.
import type { MsgKey } from "./i18n.ts";

export interface CustomerDraft {
  name: string;
  email: string;
  phone: string;
}

export type FieldErrors = Partial<Record<keyof CustomerDraft, MsgKey>>;

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^\+?[0-9 ().-]{6,24}$/;

export function validateCustomer(d: CustomerDraft): FieldErrors {
  const errors: FieldErrors = {};
  const name = d.name.trim();
  if (name.length < 1 || name.length > 200) errors.name = "errName";
  if (!EMAIL.test(d.email.trim()) || d.email.length > 254) errors.email = "errEmail";
  const phone = d.phone.trim();
  if (phone && (!PHONE.test(phone) || phone.replace(/\D/g, "").length < 6)) errors.phone = "errPhone";
  return errors;
}
