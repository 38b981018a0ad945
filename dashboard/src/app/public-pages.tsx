// Pages that work signed out, reached from e-mailed links or the sign-in page: sign-up, reset password, accept an
// invitation. They are one chunk (signed-out.tsx), loaded on demand; main.tsx shows them whatever the session.
import { useSignal } from "@preact/signals";
import type { ComponentType } from "preact";
import { useEffect } from "preact/hooks";
import { t } from "../models/i18n.ts";
import { describeError } from "../models/session.ts";

const load = (name: "SignUp" | "ResetPassword" | "AcceptInvitation") => () =>
  import("./signed-out.tsx").then((m) => ({ Page: m[name] }));

export const PUBLIC_PAGES: Record<string, () => Promise<{ Page: ComponentType }>> = {
  signup: load("SignUp"),
  "reset-password": load("ResetPassword"),
  "accept-invitation": load("AcceptInvitation"),
};

export const isPublicPage = (page: string) => Object.hasOwn(PUBLIC_PAGES, page);

export function PublicPage({ name }: { name: string }) {
  const Comp = useSignal<ComponentType | null>(null);
  const error = useSignal<string | null>(null);
  const load = () => {
    error.value = null;
    PUBLIC_PAGES[name]!().then(
      (m) => {
        Comp.value = m.Page;
      },
      (e) => {
        error.value = describeError(e);
      },
    );
  };
  useEffect(load, [name]);
  if (error.value)
    return (
      <main id="main" class="sign-in">
        <p class="error" role="alert">
          {error.value}{" "}
          <button type="button" onClick={load}>
            {t("retry")}
          </button>
        </p>
      </main>
    );
  const Page = Comp.value;
  return Page ? <Page /> : <p class="muted boot">{t("loading")}</p>;
}
