// The setup page: Business, Staff, Services and Channels, each a sub-route (/app/setup/<section>[/<id>]) and a file
// of its own; the section links are ordinary links, so the browser's back button and deep links work.
import { useEffect } from "preact/hooks";
import { onLinkClick, route } from "../../models/router.ts";
import { Business } from "./business.tsx";
import { ChannelsSection } from "./channels.tsx";
import { SECTIONS, sectionOf } from "./sections.ts";
import { ServicesSection } from "./services.tsx";
import { StaffSection } from "./staff.tsx";
import { tp } from "./texts.ts";
import "./setup.css";

export function Page() {
  const { section, sub } = sectionOf(route.value.path);
  useEffect(() => {
    document.getElementById("page-title")?.focus();
  }, [section, sub]);
  return (
    <section class="page setup" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {tp("title")}: {tp(section)}
      </h1>
      <nav aria-label={tp("sections")} class="tabs">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s}>
              <a
                href={`/app/setup/${s}`}
                aria-current={s === section ? "page" : undefined}
                onClick={(e) => onLinkClick(e, `/setup/${s}`)}
              >
                {tp(s)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {section === "business" && <Business />}
      {section === "staff" && <StaffSection sub={sub} />}
      {section === "services" && <ServicesSection sub={sub} />}
      {section === "channels" && <ChannelsSection />}
    </section>
  );
}
