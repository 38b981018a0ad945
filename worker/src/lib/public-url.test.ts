// Every notation of a non-public host that the WHATWG URL parser accepts is refused; public hosts pass.
import { describe, expect, it } from "vitest";
import {
  checkOutboundUrl,
  hostNameOf,
  isPublicAddress,
  outboundUrlPolicyOf,
  PRODUCTION_URL_POLICY,
  type UrlRefusal,
} from "./public-url.ts";
import { dnsOverHttps } from "./resolve-host.ts";

const LOCAL = { allowLoopback: true };

describe("checkOutboundUrl in production", () => {
  it.each([
    // Loopback in every IPv4 notation, and names that mean it
    ["https://127.0.0.1/", "NOT_PUBLIC"],
    ["https://2130706433/", "NOT_PUBLIC"],
    ["https://0x7f000001/", "NOT_PUBLIC"],
    ["https://0x7f.1/", "NOT_PUBLIC"],
    ["https://0177.0.0.1/", "NOT_PUBLIC"],
    ["https://017700000001/", "NOT_PUBLIC"],
    ["https://127.1/", "NOT_PUBLIC"],
    ["https://127.0.0.1./", "NOT_PUBLIC"],
    ["https://127.0.0.1%2e/", "NOT_PUBLIC"],
    ["https://127.254.1.1/", "NOT_PUBLIC"],
    ["https://%EF%BC%91%EF%BC%92%EF%BC%97.0.0.1/", "NOT_PUBLIC"], // full-width digits
    ["https://localhost/", "NOT_PUBLIC"],
    ["https://LOCALHOST/", "NOT_PUBLIC"],
    ["https://localhost./", "NOT_PUBLIC"],
    ["https://api.localhost/", "NOT_PUBLIC"],
    // IPv6 loopback, unspecified, mapped and compatible forms
    ["https://[::1]/", "NOT_PUBLIC"],
    ["https://[0:0:0:0:0:0:0:1]/", "NOT_PUBLIC"],
    ["https://[::]/", "NOT_PUBLIC"],
    ["https://[::ffff:127.0.0.1]/", "NOT_PUBLIC"],
    ["https://[0:0:0:0:0:ffff:7f00:1]/", "NOT_PUBLIC"],
    ["https://[::ffff:169.254.169.254]/", "NOT_PUBLIC"],
    ["https://[::ffff:8.8.8.8]/", "NOT_PUBLIC"],
    ["https://[::127.0.0.1]/", "NOT_PUBLIC"],
    ["https://[::ffff:0:7f00:1]/", "NOT_PUBLIC"],
    ["https://[64:ff9b::10.0.0.1]/", "NOT_PUBLIC"],
    ["https://[64:ff9b::7f00:1]/", "NOT_PUBLIC"],
    ["https://[2002:7f00:1::]/", "NOT_PUBLIC"],
    ["https://[fe80::1]/", "NOT_PUBLIC"],
    ["https://[fc00::1]/", "NOT_PUBLIC"],
    ["https://[fd12:3456::1]/", "NOT_PUBLIC"],
    ["https://[ff02::1]/", "NOT_PUBLIC"],
    ["https://[2001:db8::1]/", "NOT_PUBLIC"],
    // Unspecified, private, CGNAT, link-local (cloud metadata), multicast, broadcast, reserved
    ["https://0.0.0.0/", "NOT_PUBLIC"],
    ["https://0/", "NOT_PUBLIC"],
    ["https://10.0.0.1/", "NOT_PUBLIC"],
    ["https://167772161/", "NOT_PUBLIC"],
    ["https://172.16.0.1/", "NOT_PUBLIC"],
    ["https://172.31.255.255/", "NOT_PUBLIC"],
    ["https://192.168.1.1/", "NOT_PUBLIC"],
    ["https://0xc0.0xa8.1.1/", "NOT_PUBLIC"],
    ["https://100.64.0.1/", "NOT_PUBLIC"],
    ["https://100.127.255.254/", "NOT_PUBLIC"],
    ["https://169.254.169.254/", "NOT_PUBLIC"],
    ["https://2852039166/", "NOT_PUBLIC"],
    ["https://224.0.0.1/", "NOT_PUBLIC"],
    ["https://255.255.255.255/", "NOT_PUBLIC"],
    ["https://240.0.0.1/", "NOT_PUBLIC"],
    ["https://192.0.2.1/", "NOT_PUBLIC"],
    ["https://198.18.0.1/", "NOT_PUBLIC"],
    // Private names
    ["https://metadata.google.internal/", "NOT_PUBLIC"],
    ["https://printer.local/", "NOT_PUBLIC"],
    ["https://router.home.arpa/", "NOT_PUBLIC"],
    ["https://postgres/", "NOT_PUBLIC"],
    ["https://metadata./", "NOT_PUBLIC"],
    // Userinfo tricks, schemes, ports
    ["https://good.com@127.0.0.1/", "CREDENTIALS"],
    ["https://good.com:pw@hooks.example.com/", "CREDENTIALS"],
    ["https://127.0.0.1#@good.com/", "NOT_PUBLIC"],
    ["http://hooks.example.com/x", "SCHEME"],
    ["http://127.0.0.1:8080/x", "SCHEME"],
    ["ftp://hooks.example.com/x", "SCHEME"],
    ["file:///etc/passwd", "SCHEME"],
    ["https://hooks.example.com:5432/x", "PORT"],
    ["https://hooks.example.com:8443/x", "PORT"],
    ["https://8.8.8.8:22/", "PORT"],
    ["hooks", "INVALID"],
    ["https://foo.123/", "INVALID"],
  ] satisfies [string, UrlRefusal][])("refuses %s (%s)", (url, refusal) => {
    const checked = checkOutboundUrl(url, PRODUCTION_URL_POLICY);
    expect(checked).toMatchObject({ ok: false, refusal });
  });

  it.each([
    "https://hooks.example.com/bookra",
    "https://hooks.example.com:443/bookra",
    "https://HOOKS.Example.com./bookra",
    "https://8.8.8.8/x",
    "https://134744072/x",
    "https://[2606:4700:4700::1111]/x",
    "https://xn--exmple-cua.com/x",
    "https://127.0.0.1.example.com/x",
  ])("accepts %s", (url) => {
    const checked = checkOutboundUrl(url, PRODUCTION_URL_POLICY);
    expect(checked.ok).toBe(true);
  });

  it("hands back the canonical URL to fetch, not the spelling it was given", () => {
    const checked = checkOutboundUrl("https://134744072:443/x", PRODUCTION_URL_POLICY);
    expect(checked.ok && checked.url.href).toBe("https://8.8.8.8/x");
  });
});

describe("checkOutboundUrl on a local stack", () => {
  it.each([
    "http://127.0.0.1:8787/hook",
    "http://2130706433:9/",
    "https://127.1:5000/",
    "http://localhost:3000/",
    "http://[::1]:4000/",
  ])("accepts the loopback receiver %s on any port", (url) => {
    expect(checkOutboundUrl(url, LOCAL).ok).toBe(true);
  });

  it.each([
    ["http://10.0.0.1:8080/", "SCHEME"],
    ["https://10.0.0.1/", "NOT_PUBLIC"],
    ["https://169.254.169.254/", "NOT_PUBLIC"],
    ["https://[::ffff:127.0.0.1]/", "NOT_PUBLIC"],
    ["https://[fe80::1]/", "NOT_PUBLIC"],
    ["https://printer.local/", "NOT_PUBLIC"],
    ["http://user:pw@127.0.0.1:9/", "CREDENTIALS"],
    ["http://hooks.example.com/", "SCHEME"],
    ["https://hooks.example.com:8443/", "PORT"],
  ] satisfies [string, UrlRefusal][])("still refuses %s (%s)", (url, refusal) => {
    expect(checkOutboundUrl(url, LOCAL)).toMatchObject({ ok: false, refusal });
  });
});

describe("the policy from the worker's bindings", () => {
  it("allows loopback only on a local stack that asks for it, and resolves names only in production", () => {
    expect(outboundUrlPolicyOf({ BOOKRA_ENV: "production" })).toEqual({ allowLoopback: false, resolveDns: true });
    expect(outboundUrlPolicyOf({ BOOKRA_ENV: "production", BOOKRA_LOOPBACK_WEBHOOKS: "on" })).toEqual({
      allowLoopback: false,
      resolveDns: true,
    });
    // `npm start`: loopback refused like every other non-public address unless the developer turns it on
    const npmStart = outboundUrlPolicyOf({ BOOKRA_ENV: "local", BOOKRA_LOOPBACK_WEBHOOKS: "off" });
    expect(npmStart).toEqual({ allowLoopback: false, resolveDns: false });
    expect(checkOutboundUrl("http://127.0.0.1:5432/", npmStart)).toMatchObject({ ok: false });
    expect(checkOutboundUrl("https://2130706433/", npmStart)).toMatchObject({ ok: false, refusal: "NOT_PUBLIC" });
    expect(outboundUrlPolicyOf({ BOOKRA_ENV: "local", BOOKRA_LOOPBACK_WEBHOOKS: "on" })).toEqual({
      allowLoopback: true,
      resolveDns: false,
    });
  });
});

describe("resolved addresses", () => {
  it.each([
    ["93.184.215.14", true],
    ["2606:4700:4700::1111", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["::1", false],
    ["::ffff:127.0.0.1", false],
    ["fe80::1", false],
    ["fd00::1", false],
    ["64:ff9b::a00:1", false],
    ["not an address", false],
  ])("%s is public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it("only names are resolved, without their trailing dot", () => {
    expect(hostNameOf(new URL("https://Hooks.Example.com./x"))).toBe("hooks.example.com");
    expect(hostNameOf(new URL("https://8.8.8.8/x"))).toBeNull();
    expect(hostNameOf(new URL("https://[2606:4700::1111]/x"))).toBeNull();
  });

  it("dnsOverHttps asks for A and AAAA records and keeps only their addresses", async () => {
    const asked: string[] = [];
    const resolve = dnsOverHttps(async (input) => {
      const url = new URL(String(input));
      asked.push(`${url.searchParams.get("name")} ${url.searchParams.get("type")}`);
      const answer =
        url.searchParams.get("type") === "A"
          ? [
              { type: 5, data: "alias.example.net." },
              { type: 1, data: "93.184.215.14" },
            ]
          : [{ type: 28, data: "2606:2800:21f:cb07:6820:80da:af6b:8b2c" }];
      return Response.json({ Status: 0, Answer: answer });
    });
    expect(await resolve("hooks.example.com")).toEqual(["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]);
    expect(asked.sort()).toEqual(["hooks.example.com A", "hooks.example.com AAAA"]);
    const failing = dnsOverHttps(async () => new Response("", { status: 502 }));
    await expect(failing("hooks.example.com")).rejects.toThrow();
  });
});
