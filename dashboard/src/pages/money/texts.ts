// The Money page's texts in English, Spanish and German.
import { pageTexts } from "../../models/page-texts.ts";

export const tp = pageTexts({
  en: {
    title: "Money",
    soon: "Payments and revenue arrive here soon. This page will show:",
    payments: "online payments, deposits and refunds, and card payments and tips taken at the desk;",
    reports: "revenue by day, week, month, staff member and service, with a CSV export;",
    payouts: "payouts to your bank account and what each staff member has earned;",
    ledger: "the ledger every figure comes from, reconciled with Stripe.",
    meanwhile: "Until then, bookings and their prices are on the Bookings page.",
  },
  es: {
    title: "Dinero",
    soon: "Pronto llegarán aquí los pagos y los ingresos. Esta página mostrará:",
    payments: "pagos en línea, depósitos y reembolsos, y los cobros con tarjeta y propinas en el mostrador;",
    reports: "ingresos por día, semana, mes, profesional y servicio, con exportación CSV;",
    payouts: "las transferencias a tu cuenta bancaria y lo que ha ganado cada profesional;",
    ledger: "el libro contable del que sale cada cifra, conciliado con Stripe.",
    meanwhile: "Mientras tanto, las reservas y sus precios están en la página Reservas.",
  },
  de: {
    title: "Geld",
    soon: "Zahlungen und Umsätze kommen bald hierher. Diese Seite wird zeigen:",
    payments: "Online-Zahlungen, Anzahlungen und Erstattungen sowie Kartenzahlungen und Trinkgeld am Empfang;",
    reports: "Umsatz nach Tag, Woche, Monat, Mitarbeiter und Leistung, mit CSV-Export;",
    payouts: "Auszahlungen auf Ihr Bankkonto und was jeder Mitarbeiter verdient hat;",
    ledger: "das Hauptbuch, aus dem jede Zahl stammt, abgeglichen mit Stripe.",
    meanwhile: "Bis dahin finden Sie Buchungen und ihre Preise auf der Seite Buchungen.",
  },
});
