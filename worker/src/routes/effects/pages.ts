// HTML pages of the side effects: the printable invoice and the local dev mailbox. Everything shown is escaped.
import { formatMoney } from "../../domain/booking-context.ts";
import { escapeHtml as h } from "../../domain/html.ts";
import type { InvoiceView } from "../../effects/invoices.ts";
import type { DevMailbox, MailboxEntry, WebhookDeliveryEntry } from "../../effects/mailbox.ts";

/** `nonce`: the response's CSP nonce, which the inline style and script carry. */
const page = (title: string, style: string, body: string, nonce: string, script = "") =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<title>${h(title)}</title><style nonce="${h(nonce)}">body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}${style}</style></head>` +
  `<body>${body}${script && `<script nonce="${h(nonce)}">${script}</script>`}</body></html>`;

function dateIn(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, dateStyle: "long" }).format(d);
}

export function invoicePage({ invoice: inv, tenant }: InvoiceView, nonce: string): string {
  const number = String(inv.number).padStart(6, "0");
  const amount = formatMoney(inv.amount, inv.currency);
  return page(
    `Invoice ${number} · ${tenant.name}`,
    "table{width:100%;border-collapse:collapse}td,th{padding:.5rem;border-bottom:1px solid #ddd;text-align:left}.amount{text-align:right}@media print{button{display:none}}",
    `<h1>${h(tenant.name)}</h1>
<h2>Invoice No. ${number}</h2>
<p>Issued ${h(dateIn(inv.issuedAt, tenant.timezone))}<br>Billed to ${h(inv.customerName)} &lt;${h(inv.customerEmail)}&gt;</p>
<table><thead><tr><th>Description</th><th>Date</th><th class="amount">Amount</th></tr></thead>
<tbody><tr><td>${h(inv.description)}</td><td>${h(dateIn(inv.serviceDate, tenant.timezone))}</td><td class="amount">${h(amount)}</td></tr></tbody>
<tfoot><tr><th colspan="2">Total</th><th class="amount" id="total">${h(amount)}</th></tr></tfoot></table>
<p><button type="button" id="print">Print</button></p>`,
    nonce,
    'document.getElementById("print").addEventListener("click",()=>window.print())',
  );
}

function linkify(text: string): string {
  return h(text).replace(/https?:\/\/[^\s<>"']+/g, (url) => `<a href="${url}">${url}</a>`);
}

function entry(m: MailboxEntry): string {
  const head = `<div class="meta">${h(m.createdAt.toISOString())} · ${h(m.tenantSlug)} · to ${h(m.recipient)} · key <code>${h(m.idempotencyKey)}</code></div>`;
  const op = m.calendarOp ? `<strong>${h(m.calendarOp)}</strong> ` : "";
  const files = m.attachments
    .filter((a) => a.filename && a.content !== undefined)
    .map(
      (a) =>
        `<details><summary>${h(a.filename!)} (${h(a.contentType ?? "")})</summary><pre>${h(a.content!)}</pre></details>`,
    )
    .join("");
  return `<article>${head}<h3>${op}${h(m.subject ?? "")}</h3><pre>${linkify(m.body)}</pre>${files}</article>`;
}

function delivery(d: WebhookDeliveryEntry): string {
  const outcome = d.succeeded
    ? `delivered (HTTP ${d.statusCode})`
    : `failed${d.statusCode ? ` (HTTP ${d.statusCode})` : ""}: ${d.error ?? ""}`;
  const head = `<div class="meta">${h(d.createdAt.toISOString())} · ${h(d.tenantSlug)} · attempt ${d.attempt}</div>`;
  return `<article>${head}<h3>${h(d.eventType)} → ${h(d.url)}</h3><p>${h(outcome)}</p></article>`;
}

const SECTIONS: [MailboxEntry["kind"], string][] = [
  ["email", "E-mails"],
  ["whatsapp", "WhatsApp messages"],
  ["calendar", "Calendar operations"],
];

export function mailboxPage(box: DevMailbox, nonce: string): string {
  const sections = SECTIONS.map(([kind, title]) => {
    const items = box.messages.filter((m) => m.kind === kind);
    return `<section id="${kind}"><h2>${title} (${items.length})</h2>${items.map(entry).join("") || "<p>None yet.</p>"}</section>`;
  }).join("");
  const hooks = box.webhookDeliveries.map(delivery).join("") || "<p>None yet.</p>";
  return page(
    "Bookra dev mailbox",
    "article{border:1px solid #ddd;border-radius:6px;padding:.75rem;margin:.75rem 0}.meta{color:#666;font-size:.85rem}pre{white-space:pre-wrap;background:#f7f7f7;padding:.5rem}h3{margin:.25rem 0}",
    `<h1>Dev mailbox</h1><p>What the local providers would have sent, newest first (BOOKRA_ENV=local).</p>${sections}<section id="webhooks"><h2>Webhook deliveries (${box.webhookDeliveries.length})</h2>${hooks}</section>`,
    nonce,
  );
}
