// `npm run screenshots`: every page of the dashboard's registry (and the sign-in page) at desktop (1280×800) and
// phone (360×740) size, signed in as the owner of a business seeded on the real stack through the API, written to
// dashboard/screenshots/ (the README shows them). The pages run on a clock fixed at 11:15 that morning, so Today has
// finished appointments to mark and others still to come. Not part of `npm test`: it only writes when run.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { ROOT } from "../../scripts/lib/stack.ts";
import {
  type Business,
  bookAt,
  localInstant,
  must,
  signInThroughPage,
  signUpBusiness,
  startDashboardWorld,
} from "./dashboard-world.ts";

const OUT = resolve(ROOT, "dashboard/screenshots");
/** Pages shown signed out, besides sign-in (captured when this checkout has them). */
const SIGNED_OUT = ["signup"];
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } } as const;

/** The page names of dashboard/src/pages/registry.ts, in navigation order (read from its source: no DOM needed). */
export function registryPages(): string[] {
  const src = readFileSync(resolve(ROOT, "dashboard/src/pages/registry.ts"), "utf8");
  return [...src.matchAll(/\{\s*name:\s*"([\w-]+)"/g)].map((m) => m[1]!);
}

/** A believable day: four staff, a lunch break, bookings through today and the rest of the week. */
async function seedShowcase(base: string): Promise<Business> {
  const b = await signUpBusiness(base, { name: "Studio Norte" });
  const weeklyHours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "08:00", end: "18:00" }));
  const more = [];
  for (const name of ["Chloé", "Dev"])
    more.push(
      (
        await must(
          base,
          "POST",
          "/v1/admin/staff",
          { name, commissionBps: 3000, serviceIds: [b.haircut, b.beard], weeklyHours },
          b.apiKey,
        )
      ).id as string,
    );
  const people = ["Lucía Ferrer", "Tom Baker", "Ines Roth", "Marta Gil", "Sam Okafor", "Jon Ruiz", "Eva Lind"];
  let n = 0;
  const customer = () => {
    const name = people[n++ % people.length]!;
    const local = name
      .split(" ")[0]!
      .normalize("NFD")
      .replace(/[^a-z]/gi, "")
      .toLowerCase();
    return { name, email: `${local}.${n}@example.com` };
  };
  const day: [string, string, number, number][] = [
    [b.ana.id, b.haircut, 8, 0],
    [b.ana.id, b.haircut, 10, 0],
    [b.ana.id, b.haircut, 12, 30],
    [b.ana.id, b.haircut, 15, 0],
    [b.ben.id, b.beard, 9, 0],
    [b.ben.id, b.beard, 11, 30],
    [b.ben.id, b.beard, 14, 0],
    [more[0]!, b.haircut, 9, 30],
    [more[0]!, b.haircut, 13, 0],
    [more[1]!, b.beard, 10, 30],
    [more[1]!, b.haircut, 16, 0],
  ];
  for (const [staffId, serviceId, hh, mm] of day) await bookAt(base, b, { staffId, serviceId }, hh, mm, customer());
  for (let d = 1; d < 5; d++) {
    const date = new Date(Date.parse(`${b.today}T12:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
    for (const [i, staffId] of [b.ana.id, more[0]!, more[1]!].entries())
      await must(
        base,
        "POST",
        "/v1/admin/bookings",
        {
          staffId,
          serviceId: b.haircut,
          start: localInstant(date, 9 + i * 2 + (d % 2), 0, b.offsetHours),
          customer: customer(),
        },
        b.apiKey,
      );
  }
  await must(
    base,
    "POST",
    `/v1/admin/staff/${b.ben.id}/time-off`,
    {
      start: localInstant(b.today, 12, 30, b.offsetHours),
      end: localInstant(b.today, 13, 30, b.offsetHours),
      reason: "Lunch",
    },
    b.apiKey,
  );
  return b;
}

/** Waits for a page to settle: its title shown, nothing loading, the network quiet. */
async function settled(page: Page) {
  await page.locator("h1").first().waitFor();
  await page.waitForFunction(() => !document.body.textContent?.includes("Loading…"));
  await page.waitForLoadState("networkidle");
}

export async function takeScreenshots(): Promise<string[]> {
  const w = await startDashboardWorld();
  const written: string[] = [];
  try {
    const base = w.stack.baseUrl;
    const b = await seedShowcase(base);
    const shoot = async (page: Page, name: string) => {
      await settled(page);
      const file = `${name}.png`;
      await page.screenshot({ path: resolve(OUT, file) });
      written.push(file);
    };
    for (const [kind, viewport] of Object.entries(VIEWPORTS)) {
      const context = await w.browser.newContext({ viewport, locale: "en-GB" });
      const page = await context.newPage();
      await page.clock.setFixedTime(new Date(localInstant(b.today, 11, 15, b.offsetHours)));
      await page.goto(`${base}/app/sign-in`);
      await shoot(page, `${kind}-sign-in`);
      // the other signed-out pages, where the dashboard has them (an unknown one sends a visitor to sign-in)
      for (const name of SIGNED_OUT) {
        await page.goto(`${base}/app/${name}`);
        await settled(page);
        if (new URL(page.url()).pathname === `/app/${name}`) await shoot(page, `${kind}-${name}`);
      }
      await signInThroughPage(page, base, "/today", b.owner.email, b.owner.password);
      for (const name of registryPages()) {
        await page.goto(`${base}/app/${name}`);
        await shoot(page, `${kind}-${name}`);
      }
      await page.goto(`${base}/app/calendar?view=week&date=${b.today}`);
      await shoot(page, `${kind}-calendar-week`);
      await context.close();
    }
  } finally {
    await w.stop();
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const files = await takeScreenshots();
  console.log(`wrote ${files.length} screenshots to dashboard/screenshots/: ${files.join(", ")}`);
}
