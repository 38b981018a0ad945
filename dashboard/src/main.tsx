// The dashboard's entry: the language, who is signed in, then the sign-in page or the shell. The signed-out pages
// (sign-up, reset password, accept an invitation: app/public-pages.tsx) show whatever the session.

import { signal } from "@preact/signals";
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { isPublicPage, PublicPage } from "./app/public-pages.tsx";
import { Shell } from "./app/shell.tsx";
import { SignIn } from "./app/sign-in.tsx";
import { pickLocale, setLocale, t } from "./models/i18n.ts";
import { navigate, returnPath, route } from "./models/router.ts";
import { describeError, loadSession, session } from "./models/session.ts";

const bootError = signal<string | null>(null);

function App() {
  const s = session.value;
  const onSignIn = route.value.page === "sign-in";
  const open = isPublicPage(route.value.page);
  useEffect(() => {
    if (s === null && !onSignIn && !open) navigate(`/sign-in?next=${encodeURIComponent(route.value.path)}`, true);
    // signed in (again): back to the page the user was on
    if (s && onSignIn) navigate(returnPath(route.value.query.get("next")), true);
  }, [s, onSignIn, open]);
  if (bootError.value)
    return (
      <main id="main" class="sign-in">
        <p class="error" role="alert">
          {bootError.value}
        </p>
      </main>
    );
  if (open) return <PublicPage name={route.value.page} key={route.value.page} />;
  if (s === undefined) return <p class="muted boot">{t("loading")}</p>;
  if (s === null) return <SignIn />;
  if (onSignIn) return null;
  return <Shell session={s} />;
}

const root = document.getElementById("app")!;
render(<App />, root);
const chosen = pickLocale(localStorage.getItem("bookra.locale"), navigator.languages ?? []);
void Promise.all([chosen === "en" ? undefined : setLocale(chosen).catch(() => undefined), loadSession()]).catch((e) => {
  bootError.value = describeError(e);
});
