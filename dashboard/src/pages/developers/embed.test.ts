import { describe, expect, it } from "vitest";
import { buildEmbed, cleanColor, type EmbedOptions, escapeHtml, previewDocument } from "./embed.ts";

const BASE: EmbedOptions = {
  base: "https://api.example.com/",
  tenant: "demo-salon",
  mode: "inline",
  service: "",
  locale: "auto",
  theme: "auto",
  primaryColor: "",
  accentColor: "",
  label: "",
};
const SCRIPT = '<script src="https://api.example.com/widget.js" data-tenant="demo-salon" async></script>';

describe("buildEmbed", () => {
  it("inline, every default: a container and the script tag, nothing else", () => {
    const c = buildEmbed(BASE);
    expect(c).toEqual({
      script: SCRIPT,
      placement: "<div data-bookra-inline></div>",
      style: null,
      full: `<div data-bookra-inline></div>\n${SCRIPT}`,
    });
  });

  it("inline with a service opens that service", () => {
    expect(buildEmbed({ ...BASE, service: "svc_123" }).placement).toBe(
      '<div data-bookra-inline data-service="svc_123"></div>',
    );
  });

  it("popup: a button with the default or the given text, and the service", () => {
    expect(buildEmbed({ ...BASE, mode: "popup" }).placement).toBe(
      '<button type="button" data-bookra-popup>Book an appointment</button>',
    );
    const c = buildEmbed({ ...BASE, mode: "popup", service: "svc_9", label: "  Reserve now " });
    expect(c.placement).toBe('<button type="button" data-bookra-popup data-service="svc_9">Reserve now</button>');
    expect(c.script).toBe(SCRIPT);
  });

  it("floating: no placement; the label and the service go on the script tag", () => {
    expect(buildEmbed({ ...BASE, mode: "floating" })).toEqual({
      script: '<script src="https://api.example.com/widget.js" data-tenant="demo-salon" data-floating async></script>',
      placement: null,
      style: null,
      full: '<script src="https://api.example.com/widget.js" data-tenant="demo-salon" data-floating async></script>',
    });
    expect(buildEmbed({ ...BASE, mode: "floating", label: "Book", service: "svc_1" }).script).toBe(
      '<script src="https://api.example.com/widget.js" data-tenant="demo-salon" data-floating="Book" data-service="svc_1" async></script>',
    );
  });

  it("locale and theme go on the script tag (auto leaves them out)", () => {
    expect(buildEmbed({ ...BASE, locale: "de", theme: "dark" }).script).toBe(
      '<script src="https://api.example.com/widget.js" data-tenant="demo-salon" data-locale="de" data-theme="dark" async></script>',
    );
    expect(buildEmbed({ ...BASE, locale: "es", theme: "light" }).script).toContain(
      ' data-locale="es" data-theme="light" async',
    );
  });

  it("colours become --bookra-* custom properties in a <style> first; a bad colour is dropped", () => {
    const c = buildEmbed({ ...BASE, primaryColor: "#0B57D0", accentColor: "#f59e0b" });
    expect(c.style).toBe("<style>:root { --bookra-primary: #0b57d0; --bookra-accent: #f59e0b; }</style>");
    expect(c.full).toBe(`${c.style}\n<div data-bookra-inline></div>\n${SCRIPT}`);
    expect(buildEmbed({ ...BASE, accentColor: "#abc" }).style).toBeNull();
    expect(buildEmbed({ ...BASE, primaryColor: "red;}body{display:none" }).style).toBeNull();
    expect(buildEmbed({ ...BASE, accentColor: "#112233" }).style).toBe(
      "<style>:root { --bookra-accent: #112233; }</style>",
    );
  });

  it("escapes what the owner types, and caps the label at 60 characters", () => {
    const c = buildEmbed({ ...BASE, mode: "popup", label: `"><script>alert(1)</script>`, service: 'a"b' });
    expect(c.placement).toBe(
      '<button type="button" data-bookra-popup data-service="a&quot;b">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</button>',
    );
    expect(buildEmbed({ ...BASE, mode: "floating", label: "x".repeat(80) }).script).toContain(
      `data-floating="${"x".repeat(60)}"`,
    );
    expect(escapeHtml(`&<>"'`)).toBe("&amp;&lt;&gt;&quot;&#39;");
    expect(cleanColor(" #AbCdEf ")).toBe("#abcdef");
  });

  it("the preview document holds the placement and the script, without the <style>", () => {
    const c = buildEmbed({ ...BASE, primaryColor: "#000000" });
    const doc = previewDocument(c, "Widget preview");
    expect(doc).toContain(`<body><div data-bookra-inline></div>${SCRIPT}</body>`);
    expect(doc).toContain("<title>Widget preview</title>");
    expect(doc).not.toContain("<style>");
  });
});
