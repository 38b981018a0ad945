// Sign-in's own texts beyond the shared ones (forgot password, the way to sign-up): in the entry chunk with sign-in.
import { pageTexts } from "../models/page-texts.ts";

export const ts = pageTexts({
  en: {
    forgot: "Forgot password?",
    forgotTitle: "Reset your password",
    forgotHint: "Enter your e-mail address: we will send you a link to set a new password.",
    sendLink: "Send the link",
    sending: "Sending…",
    linkSent:
      "If an account uses {email}, we have sent it a link to set a new password. The link works for 30 minutes, once.",
    backToSignIn: "Back to sign in",
    noAccount: "New to Bookra?",
    createBusiness: "Create your business",
  },
  es: {
    forgot: "¿Has olvidado la contraseña?",
    forgotTitle: "Restablece tu contraseña",
    forgotHint: "Escribe tu correo: te enviaremos un enlace para elegir una contraseña nueva.",
    sendLink: "Enviar el enlace",
    sending: "Enviando…",
    linkSent:
      "Si alguna cuenta usa {email}, le hemos enviado un enlace para elegir una contraseña nueva. El enlace vale 30 minutos, una vez.",
    backToSignIn: "Volver a iniciar sesión",
    noAccount: "¿Eres nuevo en Bookra?",
    createBusiness: "Crea tu negocio",
  },
  de: {
    forgot: "Passwort vergessen?",
    forgotTitle: "Passwort zurücksetzen",
    forgotHint: "Geben Sie Ihre E-Mail-Adresse ein: Wir senden Ihnen einen Link für ein neues Passwort.",
    sendLink: "Link senden",
    sending: "Wird gesendet…",
    linkSent:
      "Falls ein Konto {email} verwendet, haben wir einen Link für ein neues Passwort gesendet. Der Link gilt 30 Minuten und einmal.",
    backToSignIn: "Zurück zur Anmeldung",
    noAccount: "Neu bei Bookra?",
    createBusiness: "Unternehmen anlegen",
  },
});
