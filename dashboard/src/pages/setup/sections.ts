// The setup page's sub-routes, pure: /app/setup/<section>[/<id or "new">].

export const SECTIONS = ["business", "staff", "services", "channels"] as const;
export type Section = (typeof SECTIONS)[number];

/** "/setup/staff/stf_1?x" → staff, stf_1; the Business section for /setup or an unknown section. */
export function sectionOf(path: string): { section: Section; sub: string | undefined } {
  const [, name, sub] = (path.split("?")[0] ?? "").split("/").filter(Boolean);
  const section = SECTIONS.find((s) => s === name) ?? "business";
  return { section, sub: section === name ? sub : undefined };
}
