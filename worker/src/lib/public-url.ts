// Which URLs the worker may call on a tenant's behalf (webhook endpoints): a public host on the default https port.
// Checked when an endpoint is created and again before every delivery, by address (ipaddr.js), not by spelling.
import ipaddr from "ipaddr.js";

export interface OutboundUrlPolicy {
  /**
   * Local stack only, and only when asked (BOOKRA_ENV=local and BOOKRA_LOOPBACK_WEBHOOKS=on): loopback hosts
   * (127.0.0.0/8, ::1, `localhost`) over http or https on any port, for the test and bench stacks' own webhook
   * receivers. Every other non-public address stays refused there too; `npm start` refuses loopback by default.
   */
  allowLoopback: boolean;
  /** Look the host name up before each delivery (a public name may point at a private address). Default: production. */
  resolveDns?: boolean;
}

export const PRODUCTION_URL_POLICY: OutboundUrlPolicy = { allowLoopback: false, resolveDns: true };

/** The one switch, read from the worker's bindings: a local stack never resolves names, and allows loopback on request. */
export function outboundUrlPolicyOf(env: {
  BOOKRA_ENV?: string;
  BOOKRA_LOOPBACK_WEBHOOKS?: string;
}): OutboundUrlPolicy {
  const local = env.BOOKRA_ENV === "local";
  return { allowLoopback: local && env.BOOKRA_LOOPBACK_WEBHOOKS === "on", resolveDns: !local };
}

/** INVALID, SCHEME and CREDENTIALS are malformed input (400); NOT_PUBLIC and PORT are refused destinations (422). */
export type UrlRefusal = "INVALID" | "SCHEME" | "CREDENTIALS" | "NOT_PUBLIC" | "PORT";

export type OutboundUrlCheck = { ok: true; url: URL } | { ok: false; refusal: UrlRefusal; message: string };

type HostKind = "public" | "loopback" | "blocked";

/** Names that never lead to the public internet (RFC 6761, 6762, 8375 and common private suffixes). */
const PRIVATE_SUFFIXES = ["localhost", "local", "internal", "localdomain", "home.arpa", "lan", "intranet", "corp"];

/**
 * The URL, parsed once (WHATWG: the same parser as the fetch that follows, so decimal, hex, octal and short IPv4
 * forms are already dotted quads), if the worker may POST to it; otherwise why not.
 */
export function checkOutboundUrl(raw: string, policy: OutboundUrlPolicy): OutboundUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse("INVALID", "Not a valid URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return refuse("SCHEME", "Only https URLs");
  const kind = hostKind(url.hostname);
  if (url.username || url.password) return refuse("CREDENTIALS", "The URL must not contain credentials");
  if (kind === "loopback" && policy.allowLoopback) return { ok: true, url };
  if (url.protocol !== "https:")
    return refuse("SCHEME", policy.allowLoopback ? "https, or http to a loopback address" : "Only https URLs");
  if (kind !== "public")
    return refuse("NOT_PUBLIC", "The host must be a public internet name or address, not a private or reserved one");
  if (url.port !== "") return refuse("PORT", "Only the default https port (443)");
  return { ok: true, url };
}

function refuse(refusal: UrlRefusal, message: string): OutboundUrlCheck {
  return { ok: false, refusal, message };
}

/** `hostname` as URL gives it: a canonical IPv4 dotted quad, a bracketed IPv6 address, or a lower-case ASCII name. */
function hostKind(hostname: string): HostKind {
  if (hostname.startsWith("[") && hostname.endsWith("]")) return ipv6Kind(hostname.slice(1, -1));
  if (ipaddr.IPv4.isValid(hostname)) return ipv4Kind(hostname);
  return nameKind(hostname);
}

/** A resolved address (A or AAAA record data, no brackets): is it one the worker may connect to? */
export function isPublicAddress(address: string): boolean {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return ipv4Kind(address) === "public";
  return ipaddr.IPv6.isValid(address) && ipv6Kind(address) === "public";
}

/** The host to resolve before connecting, or null when the URL names an address itself. */
export function hostNameOf(url: URL): string | null {
  const host = url.hostname;
  if (host.startsWith("[") || ipaddr.IPv4.isValid(host)) return null;
  return host.replace(/\.+$/, "");
}

function ipv4Kind(text: string): HostKind {
  const range = ipaddr.IPv4.parse(text).range();
  if (range === "unicast") return "public";
  return range === "loopback" ? "loopback" : "blocked";
}

/**
 * Only global unicast. IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 and
 * Teredo all carry an IPv4 address a gateway may forward to; none is a webhook receiver's address, so all are refused.
 */
function ipv6Kind(text: string): HostKind {
  if (!ipaddr.IPv6.isValid(text)) return "blocked";
  const address = ipaddr.IPv6.parse(text);
  const range = address.range();
  if (range === "loopback") return "loopback";
  if (range !== "unicast") return "blocked";
  const ipv4Compatible = address.parts.slice(0, 6).every((part) => part === 0);
  return ipv4Compatible ? "blocked" : "public";
}

function nameKind(hostname: string): HostKind {
  const name = hostname.replace(/\.+$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return "loopback";
  if (PRIVATE_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`))) return "blocked";
  // A single label ("metadata", "postgres") is resolved through a search domain, inside someone's network.
  return name.includes(".") && !name.startsWith(".") ? "public" : "blocked";
}
