// The signed-in frame: a skip link, the role's navigation, the language picker, sign-out, and the current page
// (loaded on demand from the registry, with a message instead of a blank page when its chunk cannot load).
import type { Session } from "@bookra/sdk/admin";
import { useSignal } from "@preact/signals";
import type { ComponentType } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { LOCALES, type Locale, locale, setLocale, t } from "../models/i18n.ts";
import { navigate, onLinkClick, route } from "../models/router.ts";
import { describeError, signOut } from "../models/session.ts";
import { DEFAULT_PAGE, type PageDef, pagesFor } from "../pages/registry.ts";

const loaded = new Map<string, ComponentType>();

function PageHost({ def }: { def: PageDef }) {
  const Comp = useSignal<ComponentType | null>(loaded.get(def.name) ?? null);
  const error = useSignal<string | null>(null);
  const load = () => {
    error.value = null;
    def.load().then(
      (m) => {
        loaded.set(def.name, m.Page);
        Comp.value = m.Page;
      },
      (e) => {
        error.value = describeError(e);
      },
    );
  };
  useEffect(() => {
    Comp.value = loaded.get(def.name) ?? null;
    if (!Comp.value) load();
  }, [def.name]);
  if (error.value)
    return (
      <p class="error" role="alert">
        {error.value}{" "}
        <button type="button" onClick={load}>
          {t("retry")}
        </button>
      </p>
    );
  const Page = Comp.value;
  return Page ? <Page /> : <p class="muted">{t("loading")}</p>;
}

export function Shell({ session }: { session: Session }) {
  const pages = pagesFor(session.role);
  const name = route.value.page || DEFAULT_PAGE;
  const def = pages.find((p) => p.name === name);
  const menuOpen = useSignal(false);
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!route.value.page) navigate(`/${DEFAULT_PAGE}`, true);
  }, [route.value.page]);
  useEffect(() => {
    menuOpen.value = false;
    document.title = `${def ? t(def.label) : t("notFound")} · ${session.tenant.name}`;
  }, [name, locale.value]);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t("skipToContent")}
      </a>
      <header class="top">
        <span class="business">{session.tenant.name}</span>
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen.value}
          aria-controls="nav"
          onClick={() => {
            menuOpen.value = !menuOpen.value;
          }}
        >
          {t("menu")}
        </button>
        <nav id="nav" aria-label={t("mainNav")} class={menuOpen.value ? "open" : ""}>
          <ul>
            {pages.map((p) => (
              <li key={p.name}>
                <a
                  href={`/app/${p.name}`}
                  aria-current={p.name === name ? "page" : undefined}
                  onClick={(e) => onLinkClick(e, `/${p.name}`)}
                >
                  {t(p.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="tools">
          <label class="visually-hidden" for="lang">
            {t("language")}
          </label>
          <select
            id="lang"
            value={locale.value}
            onChange={(e) => {
              const next = (e.currentTarget as HTMLSelectElement).value as Locale;
              localStorage.setItem("bookra.locale", next);
              void setLocale(next);
            }}
          >
            {Object.entries(LOCALES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
          <span class="user" title={session.user.email}>
            {session.user.name}
          </span>
          <button type="button" onClick={() => void signOut()}>
            {t("signOut")}
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {def ? <PageHost def={def} key={def.name} /> : <p role="alert">{t("notFound")}</p>}
      </main>
    </div>
  );
}
