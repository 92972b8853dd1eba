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

/** What a failed send becomes: the SMTP codes, never the addresses a server's reply quotes back. */
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
}

const EMAIL_SHAPED = /<?[^\s<>@]+@[^\s<>@]+>?/g;

/**
 * Nodemailer's errors quote the recipient ("550 5.1.1 <maria@example.com>: Recipient address rejected"), and an
 * activity's error becomes a failure in the workflow history and in logs. Rebuilt without a cause, so neither
 * the message nor the stack trace carries an address.
 */
export function scrubbedMailError(error: unknown): MailDeliveryError {
  const e = error as { message?: unknown; code?: unknown; responseCode?: unknown };
  const message = typeof e?.message === 'string' ? e.message.replace(EMAIL_SHAPED, '<address>') : 'unknown error';
  const codes = [e?.code, e?.responseCode].filter((part) => typeof part === 'string' || typeof part === 'number');
  return new MailDeliveryError(`SMTP send failed${codes.length ? ` (${codes.join(' ')})` : ''}: ${message}`);
}

/**
 * One pool of SMTP connections per process: a connection carries many messages (nodemailer's pool, 100 messages a
 * connection, then a fresh one), instead of a connect, greeting and QUIT around every code and notice. The pool may
 * open `maxConnections`, as many as sends can run at once (the worker's activity slots), so a send never queues
 * behind another's connection: a wait there would count against the activity's timeout, and a message that left
 * after its attempt timed out would meet a retry sending a second code. Connections open only when needed and
 * idle ones are reused. The URL still wins where it says otherwise (`?pool=false`, `?maxConnections=`).
 */
export function createSmtpMailer(smtpUrl: string, from: string, maxConnections = 100): Mailer {
  const transport = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections }, { from });
  return {
    async send(email) {
      try {
        const info = await transport.sendMail({ ...email, from });
        return { messageId: info.messageId };
      } catch (error) {
        throw scrubbedMailError(error);
      }
    },
    close: () => transport.close(),
  };
}
