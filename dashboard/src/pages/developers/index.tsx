// Developers: API keys (owners only — the API refuses them to managers, so the section is not shown to them), webhook
// endpoints with their delivery log and a test event, the outbox with "retry", and the embed-code generator.
import "./developers.css";
import { session } from "../../models/session.ts";
import { ApiKeys } from "./api-keys.tsx";
import { EmbedGenerator } from "./embed-generator.tsx";
import { Outbox } from "./outbox.tsx";
import { tp } from "./texts.ts";
import { Webhooks } from "./webhooks.tsx";

export function Page() {
  const s = session.value!;
  return (
    <section class="page developers" aria-labelledby="page-title">
      <h1 id="page-title">{tp("title")}</h1>
      <p class="muted">{tp("intro")}</p>
      {s.role === "owner" && <ApiKeys />}
      <Webhooks />
      <Outbox />
      <EmbedGenerator slug={s.tenant.slug} />
    </section>
  );
}
