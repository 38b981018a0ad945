// Admin authentication: `Authorization: Bearer sk_…`, recognised by the API key service.
import { createMiddleware } from "hono/factory";
import { Unauthenticated } from "../../errors.ts";
import { authenticateApiKey, recordApiKeyUse } from "../../services/api-keys/api-keys.ts";
import type { AppEnv } from "../types.ts";

export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(sk_[0-9a-z]{40})$/i.exec(header.trim());
  if (!match?.[1]) throw new Unauthenticated();
  const principal = await authenticateApiKey({ db: c.var.db(), secret: match[1] });
  if (!principal) throw new Unauthenticated("The API key is unknown or revoked");
  c.set("principal", principal);
  const db = c.var.db();
  const now = c.var.deps.now();
  c.var.defer(() => recordApiKeyUse(db, principal, now));
  await next();
});
