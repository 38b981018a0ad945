// The dashboard's pages: one entry each, in navigation order. A page is a folder `pages/<name>/` whose index is
// loaded on demand (its own chunk); adding one is adding it here, without touching any other page.
import type { Role } from "@bookra/sdk/admin";
import type { ComponentType } from "preact";
import type { MsgKey } from "../models/i18n.ts";

export interface PageDef {
  /** The URL segment: /app/<name>. */
  name: string;
  label: MsgKey;
  /** Who sees it in the navigation and may open it (the API enforces the same, server-side). */
  roles: readonly Role[];
  load: () => Promise<{ Page: ComponentType }>;
}

const ALL: readonly Role[] = ["owner", "manager", "staff"];
const MANAGERS: readonly Role[] = ["owner", "manager"];
/** Money: the owner's reports, payouts and reconciliation, and a staff member's own statement; the API refuses a
 * manager all of it (403), so a manager does not see the page. */
const OWNER_AND_STAFF: readonly Role[] = ["owner", "staff"];

export const PAGES: readonly PageDef[] = [
  { name: "today", label: "nav.today", roles: ALL, load: () => import("./today/index.tsx") },
  { name: "calendar", label: "nav.calendar", roles: ALL, load: () => import("./calendar/index.tsx") },
  { name: "bookings", label: "nav.bookings", roles: ALL, load: () => import("./bookings/index.tsx") },
  { name: "customers", label: "nav.customers", roles: MANAGERS, load: () => import("./customers/index.tsx") },
  { name: "money", label: "nav.money", roles: OWNER_AND_STAFF, load: () => import("./money/index.tsx") },
  { name: "setup", label: "nav.setup", roles: MANAGERS, load: () => import("./setup/index.tsx") },
  { name: "developers", label: "nav.developers", roles: MANAGERS, load: () => import("./developers/index.tsx") },
];

export const DEFAULT_PAGE = "today";

/** The pages a role may see, in navigation order. */
export const pagesFor = (role: Role) => PAGES.filter((p) => p.roles.includes(role));
