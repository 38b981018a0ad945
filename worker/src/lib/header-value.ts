// One place that makes text safe for a header line: e-mail subject, From name, To, provider and webhook headers, and
// WhatsApp template parameters (which refuse newlines and tabs). Names typed by tenants and customers reach all of them.

/** C0 controls (CR, LF, TAB…), DEL, C1 controls (NEL…) and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * The value on one line: every run of control characters becomes one space, runs of spaces collapse, ends are
 * trimmed, and the result is cut to `maxLength` characters.
 * @example headerValue("Cut\r\nBcc: x@evil") // "Cut Bcc: x@evil"
 */
export function headerValue(value: string, maxLength = 998): string {
  return value.replace(CONTROL, " ").replace(/ {2,}/g, " ").trim().slice(0, maxLength);
}
