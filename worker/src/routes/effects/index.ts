// Routes that present side effects to people: ICS feeds, invoice pages, the local dev mailbox.
import type { App } from "../../app.ts";

export function registerEffectRoutes(app: App): void {
  void app;
}
