// Handler `auth-email`: sends a password-reset link or an invitation (outbox events auth.password_reset and
// auth.invitation, written with the token in services/auth/tokens.ts). The link's token is derived from the token
// row's id, so no secret sits in the outbox; a token that was used or has expired by now is not sent.
import { eq } from "drizzle-orm";
import { authTokens, tenants } from "../../db/schema/index.ts";
import { authMessageText, invitationMessage, passwordResetMessage } from "../../domain/auth-messages.ts";
import { simpleHtml } from "../../domain/html.ts";
import type { EffectHandler } from "../../outbox/types.ts";
import type { Providers } from "../../providers/index.ts";
import { AUTH_TOKEN_EVENTS, authLinkOf, authTokenOf } from "../../services/auth/tokens.ts";
import { effectKey } from "./notices.ts";

export const authEmailHandler: EffectHandler<Providers> = {
  name: "auth-email",
  events: [AUTH_TOKEN_EVENTS.reset, AUTH_TOKEN_EVENTS.invitation],
  async run({ tx, event, providers, config, now }) {
    const tokenId = event.payload.tokenId;
    if (typeof tokenId !== "string") return;
    const [row] = await tx
      .select({ token: authTokens, businessName: tenants.name })
      .from(authTokens)
      .innerJoin(tenants, eq(tenants.id, authTokens.tenantId))
      .where(eq(authTokens.id, tokenId));
    if (!row || row.token.usedAt || row.token.expiresAt.getTime() <= now.getTime()) return;
    const { token, businessName } = row;
    const link = authLinkOf(config, token.kind, authTokenOf(config, token.id));
    const message =
      token.kind === "reset"
        ? passwordResetMessage(businessName, link)
        : invitationMessage(businessName, token.role ?? "staff", link);
    await providers.email.send({
      tenantId: event.tenantId,
      idempotencyKey: effectKey(event, authEmailHandler.name),
      to: token.email,
      fromName: businessName,
      subject: message.subject,
      text: authMessageText(message),
      html: simpleHtml(message.paragraphs, [message.link]),
    });
  },
};
