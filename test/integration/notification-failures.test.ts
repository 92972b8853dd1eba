/**
 * A customer notice that can never be sent (a mailbox that refuses everything but the verification code) must
 * not hold the onboarding: reminders fail, the deadline still applies, the onboarding expires on time.
 */
import { createSmtpMailer, type Mailer } from '../../activities/mailer';
import { parseConfig } from '../../common/config';
import { startHarness, type Harness } from '../support/harness';
import { testInfrastructure } from '../support/infrastructure';
import { register, tenantWithSettings, waitForStatus } from '../support/journey';

let h: Harness;
/** Subjects of the notices the double refused, one entry per attempt. */
const refused: string[] = [];

/** Codes go to MailDev; every other e-mail is refused the way an SMTP server refuses a dead mailbox. */
function refusingMailer(): Mailer {
  const real = createSmtpMailer(testInfrastructure().smtpUrl, parseConfig({ NODE_ENV: 'test' }).MAIL_FROM);
  return {
    async send(email) {
      if (email.subject === 'Your verification code') return real.send(email);
      refused.push(email.subject);
      throw new Error('550 5.1.1 mailbox unavailable');
    },
    close: () => real.close(),
  };
}

beforeAll(async () => {
  h = await startHarness('notice_failures', { activityDeps: { mailer: refusingMailer() } });
});
afterAll(() => h?.close());

it('expires the onboarding at its deadline although every reminder fails to send', async () => {
  const tenant = await tenantWithSettings(h, { reminderAfterSeconds: 1, expireAfterSeconds: 4 });
  const customer = await register(tenant);
  const registeredAt = Date.now();

  await waitForStatus(tenant, customer.path, 'EXPIRED', 12_000);
  expect(Date.now() - registeredAt).toBeLessThan(10_000);
  expect(refused).toContain('Finish opening your account');
  const row = await h.db('customers').where({ tenant_id: tenant.tenantId, id: customer.customerId }).first();
  expect(row.status).toBe('EXPIRED');
});
