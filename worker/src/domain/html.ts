// HTML escaping for everything the side effects render (e-mails, invoice page, dev mailbox).
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/** Paragraphs of escaped text, then optional escaped links. */
export function simpleHtml(paragraphs: string[], links: { label: string; href: string }[] = []): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  const anchors = links.map((l) => `<p><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></p>`).join("\n");
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">\n${body}\n${anchors}\n</body></html>`;
}
