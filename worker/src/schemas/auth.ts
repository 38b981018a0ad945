// Dashboard sign-in (issue 12): sessions, passwords, resets and staff invitations, as the API accepts and answers them.
import { z } from "@hono/zod-openapi";
import { Email, Name, nullable } from "./common.ts";

/** A new password: at least 10 characters (as at signup), at most 200 (PBKDF2 input need not be longer). */
export const NewPassword = z
  .string()
  .min(10, "At least 10 characters")
  .max(200)
  .openapi({ example: "correct horse battery staple" });

/** A password being checked: any length the server accepts, never echoed. */
const GivenPassword = z.string().min(1).max(200);

const SLUG = /^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/;

export const SignInInput = z
  .object({
    email: Email,
    password: GivenPassword,
    tenant: z.string().regex(SLUG, "A business slug").optional().openapi({
      description: "The business to sign in to, by slug, when the user belongs to several (default: the first joined)",
    }),
  })
  .strict()
  .openapi("SignInInput");
export type SignInInput = z.infer<typeof SignInInput>;

export const RoleName = z.enum(["owner", "manager", "staff"]).openapi("Role");

/** Who is signed in: GET /v1/auth/session, and the answer of every call that signs in. */
export const Session = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: nullable(z.string()) }),
    tenant: z.object({
      id: z.string(),
      slug: z.string(),
      name: z.string(),
      timezone: z.string(),
      currency: z.string(),
    }),
    role: RoleName,
    staffId: nullable(z.string()).openapi({ description: "The staff record a staff user acts as; null otherwise" }),
    expiresAt: z.string().openapi({ description: "When the session ends unless used again (sliding, 14 days)" }),
  })
  .openapi("Session");
export type Session = z.infer<typeof Session>;

export const PasswordChange = z
  .object({ currentPassword: GivenPassword, newPassword: NewPassword })
  .strict()
  .openapi("PasswordChange");
export type PasswordChange = z.infer<typeof PasswordChange>;

export const PasswordResetRequest = z.object({ email: Email }).strict().openapi("PasswordResetRequest");
export type PasswordResetRequest = z.infer<typeof PasswordResetRequest>;

export const PasswordResetCompletion = z.object({ password: NewPassword }).strict().openapi("PasswordResetCompletion");
export type PasswordResetCompletion = z.infer<typeof PasswordResetCompletion>;

/** A one-time token from an e-mailed link (64 hex characters). */
export const TokenParam = z.object({
  token: z
    .string()
    .max(128)
    .openapi({ param: { name: "token", in: "path" }, example: "3f9a…" }),
});

export const InvitationCreate = z
  .object({
    email: Email,
    role: RoleName,
    staffId: z.string().max(64).optional().openapi({ description: "Required for the staff role: their staff record" }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.role === "staff" && !v.staffId)
      ctx.addIssue({ code: "custom", path: ["staffId"], message: "A staff invitation names the staff record" });
    if (v.role !== "staff" && v.staffId)
      ctx.addIssue({ code: "custom", path: ["staffId"], message: "Only a staff invitation names a staff record" });
  })
  .openapi("InvitationCreate");
export type InvitationCreate = z.infer<typeof InvitationCreate>;

export const Invitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: RoleName,
    staffId: nullable(z.string()),
    createdAt: z.string(),
    expiresAt: z.string(),
    status: z.enum(["pending", "accepted", "expired"]),
  })
  .openapi("Invitation");
export type Invitation = z.infer<typeof Invitation>;

export const InvitationList = z.object({ data: z.array(Invitation) }).openapi("InvitationList");
export type InvitationList = z.infer<typeof InvitationList>;

export const InvitationIdParam = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "atk_…" }),
});

export const InvitationAcceptance = z
  .object({
    name: Name,
    password: GivenPassword.openapi({
      description: "A new password (at least 10 characters), or the existing one of a user who already has an account",
    }),
  })
  .strict()
  .openapi("InvitationAcceptance");
export type InvitationAcceptance = z.infer<typeof InvitationAcceptance>;
