/** A mailer double that refuses some e-mails the way an SMTP server refuses a dead mailbox, and sends the rest. */
import { randomBytes } from 'node:crypto';
import { createSmtpMailer, type Mailer, type OutgoingEmail } from '../../activities/mailer';
import { parseConfig } from '../../common/config';
import { testInfrastructure } from './infrastructure';

/** Addresses in this domain refuse every e-mail, verification codes included. */
export const DEAD_DOMAIN = 'dead-mailbox.example';

export function deadAddress(): string {
  return `dead.${randomBytes(5).toString('hex')}@${DEAD_DOMAIN}`;
}

/** `refuses` picks the e-mails to refuse; the subject of each refused attempt is pushed to `refused`. */
export function refusingMailer(refuses: (email: OutgoingEmail) => boolean, refused: string[] = []): Mailer {
  const real = createSmtpMailer(testInfrastructure().smtpUrl, parseConfig({ NODE_ENV: 'test' }).MAIL_FROM);
  return {
    async send(email) {
      if (!refuses(email)) return real.send(email);
      refused.push(email.subject);
      throw new Error('550 5.1.1 mailbox unavailable');
    },
    close: () => real.close(),
  };
}
