/** The one door to SMTP. Activities depend on this interface so tests can pass a real or a local transport. */
import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per logical e-mail, so a receiving system can tell a resend from a new message. */
  messageId: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl, { from });
  return {
    async send(email) {
      const info = await transport.sendMail({ ...email, from });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
