// Today's texts for the desk-payment form (completing a booking with what was paid at the venue), in three languages.
import { pageTexts } from "../../models/page-texts.ts";

export const en = {
  pay: "Take payment",
  payFor: "Take payment: {name} {time}",
  formTitle: "Paid at the desk",
  price: "Price",
  deposits: "Deposits paid",
  due: "Balance due",
  toCollect: "To collect now",
  cash: "Cash",
  card: "Card",
  other: "Other",
  tip: "Tip",
  discount: "Discount",
  leaveDue: "Leave the rest owed",
  submit: "Complete",
  close: "Close",
  badAmount: "Enter an amount such as 12.50.",
  overpaid: "More than the balance due: add the difference as a tip, or take less.",
  short: "Less than the balance due: take the rest, give a discount, or leave it owed.",
  tipTooBig: "The tip is part of the payments: it cannot be larger than them.",
  discountTooBig: "The discount cannot be larger than what is left to pay.",
} as const;

type Key = keyof typeof en;

const es: Record<Key, string> = {
  pay: "Cobrar",
  payFor: "Cobrar: {name} {time}",
  formTitle: "Pagado en el local",
  price: "Precio",
  deposits: "Señal pagada",
  due: "Pendiente",
  toCollect: "A cobrar ahora",
  cash: "Efectivo",
  card: "Tarjeta",
  other: "Otro",
  tip: "Propina",
  discount: "Descuento",
  leaveDue: "Dejar el resto pendiente",
  submit: "Completar",
  close: "Cerrar",
  badAmount: "Escribe un importe como 12,50.",
  overpaid: "Más de lo pendiente: añade la diferencia como propina o cobra menos.",
  short: "Menos de lo pendiente: cobra el resto, aplica un descuento o déjalo pendiente.",
  tipTooBig: "La propina forma parte de los pagos: no puede ser mayor que ellos.",
  discountTooBig: "El descuento no puede ser mayor que lo que queda por pagar.",
};

const de: Record<Key, string> = {
  pay: "Kassieren",
  payFor: "Kassieren: {name} {time}",
  formTitle: "Vor Ort bezahlt",
  price: "Preis",
  deposits: "Anzahlung",
  due: "Offen",
  toCollect: "Jetzt kassieren",
  cash: "Bar",
  card: "Karte",
  other: "Sonstiges",
  tip: "Trinkgeld",
  discount: "Rabatt",
  leaveDue: "Rest offen lassen",
  submit: "Abschließen",
  close: "Schließen",
  badAmount: "Gib einen Betrag wie 12,50 ein.",
  overpaid: "Mehr als offen: die Differenz als Trinkgeld angeben oder weniger kassieren.",
  short: "Weniger als offen: den Rest kassieren, Rabatt geben oder offen lassen.",
  tipTooBig: "Das Trinkgeld ist Teil der Zahlungen: es kann nicht größer sein.",
  discountTooBig: "Der Rabatt kann nicht größer sein als der offene Betrag.",
};

export const tp = pageTexts({ en, es, de });
