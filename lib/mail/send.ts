import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../env";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

let transport: Transporter | null = null;
let noticeShown = false;

function smtpTransport(url: string): Transporter {
  transport ??= nodemailer.createTransport(url);
  return transport;
}

/** Sends through LATCHKEY_SMTP_URL; without it, writes the message to the server log. */
export async function sendMail(mail: Mail): Promise<void> {
  const { smtpUrl, mailFrom } = env();
  if (!smtpUrl) {
    if (!noticeShown) {
      console.warn("[latchkey] SMTP is not configured; email is logged instead (set LATCHKEY_SMTP_URL to send it)");
      noticeShown = true;
    }
    console.log(`[latchkey] email to ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`);
    return;
  }
  await smtpTransport(smtpUrl).sendMail({ from: mailFrom, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
}
