// A page not built yet: its title and a line saying so, so the navigation never leads to a blank page.
import { type MsgKey, t } from "../models/i18n.ts";

export function Placeholder({ title }: { title: MsgKey }) {
  return (
    <section class="page" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t(title)}
      </h1>
      <p class="muted">{t("comingSoon")}</p>
    </section>
  );
}
