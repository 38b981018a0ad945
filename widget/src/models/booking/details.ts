// The details step's state: the customer's draft (kept across the steps: a slot taken or a hold lapsed never loses
// it), the field errors, and the booking request built from it.
import type { BookingCreateInput } from "@bookra/sdk";
import { batch, signal } from "@preact/signals";
import type { Msg } from "../i18n.ts";
import type { Slot, SlotPicker } from "../slot-picker.ts";
import { type CustomerDraft, type FieldErrors, validateCustomer } from "../validate.ts";

export function createDetails(prefill: Partial<CustomerDraft> = {}) {
  const draft = signal<CustomerDraft>({ name: "", email: "", phone: "", ...prefill });
  /** The customer agreed to WhatsApp messages (only sent with a phone number; the API sends none without it). */
  const whatsappOptIn = signal(false);
  const errors = signal<FieldErrors>({});
  const formError = signal<Msg | null>(null);
  const submitting = signal(false);

  return {
    draft,
    whatsappOptIn,
    errors,
    formError,
    submitting,
    setField(field: keyof CustomerDraft, value: string) {
      draft.value = { ...draft.value, [field]: value };
      if (errors.value[field]) {
        const rest = { ...errors.value, [field]: undefined };
        errors.value = rest;
        if (!Object.values(rest).some(Boolean)) formError.value = null;
      }
    },
    /** Checks the draft; false (with the errors shown) when it cannot be sent. */
    validate(): boolean {
      const found = validateCustomer(draft.value);
      const ok = Object.keys(found).length === 0;
      batch(() => {
        errors.value = found;
        formError.value = ok ? null : { key: "fixErrors" };
      });
      return ok;
    },
    request(picker: SlotPicker, slot: Slot): BookingCreateInput {
      const { name, email, phone } = draft.value;
      const tel = phone.trim();
      return {
        serviceId: picker.serviceId,
        ...(picker.staffId.value ? { staffId: picker.staffId.value } : {}),
        start: slot.start,
        customer: {
          name: name.trim(),
          email: email.trim(),
          ...(tel ? { phone: tel, ...(whatsappOptIn.value ? { whatsappOptIn: true } : {}) } : {}),
        },
      };
    },
  };
}

export type Details = ReturnType<typeof createDetails>;
