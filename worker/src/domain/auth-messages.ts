// The e-mails of dashboard sign-in (issue 12): a password-reset link and an invitation, as subject, text and the
// paragraphs of the HTML body (pure; the auth-email effect sends them).

export interface AuthMessage {
  subject: string;
  paragraphs: string[];
  link: { label: string; href: string };
}

const ROLE_NAMES = { owner: "an owner", manager: "a manager", staff: "a staff member" } as const;

export function passwordResetMessage(businessName: string, link: string): AuthMessage {
  return {
    subject: `Reset your ${businessName} dashboard password`,
    paragraphs: [
      "Someone asked to reset the password of your dashboard account. If it was you, choose a new password with the link below; it works once, for 30 minutes.",
      "If it was not you, ignore this e-mail: your password stays as it is.",
    ],
    link: { label: "Choose a new password", href: link },
  };
}

export function invitationMessage(businessName: string, role: keyof typeof ROLE_NAMES, link: string): AuthMessage {
  return {
    subject: `You are invited to ${businessName}'s dashboard`,
    paragraphs: [
      `${businessName} invites you to its booking dashboard as ${ROLE_NAMES[role]}.`,
      "Accept with the link below and choose your password; it works once, for 30 minutes.",
    ],
    link: { label: "Accept the invitation", href: link },
  };
}

/** The plain-text body: the paragraphs, then the link on its own line. */
export function authMessageText(message: AuthMessage): string {
  return [...message.paragraphs, `${message.link.label}: ${message.link.href}`].join("\n\n");
}
