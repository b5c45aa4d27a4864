/** Sending e-mail (customer notices): an interface, and its SMTP implementation over nodemailer. */
import type { Transporter } from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Our notification id, as a header: a receiver can tell a retry from a second notice. */
  notificationId: string;
}

export interface Mailer {
  /** Resolves with the server's message id when the SMTP server accepted the mail; throws otherwise. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

/** `SMTP_URL`, e.g. smtp://user:pass@mail.example.com:587 or smtps://… (nodemailer's URL form). */
export function smtpMailer(url: string, timeoutMs = 10_000): Mailer {
  // nodemailer is loaded with the first mail: a server without SMTP does not carry it (~4 MB).
  let transport: Promise<Transporter> | undefined;
  const open = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        url,
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      }),
    ));
  return {
    async send(mail) {
      const smtp = await open();
      const info = await smtp.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { 'X-Amend-Notification-Id': mail.notificationId },
      });
      return { messageId: String(info.messageId ?? '') };
    },
    close() {
      // A transport that never opened (a bad SMTP_URL) has nothing to close.
      void transport?.then(
        (t) => t.close(),
        () => undefined,
      );
    },
  };
}
