/** The e-mails an onboarding sends besides verification codes: text and HTML for each. */
import { escapeHtml } from './escape';

export const CUSTOMER_EMAIL_TEMPLATES = ['reminder', 'expired', 'kyc-approved', 'kyc-rejected', 'kyc-review', 'welcome'] as const;
export type CustomerEmailTemplate = (typeof CUSTOMER_EMAIL_TEMPLATES)[number];

const COPY: Record<CustomerEmailTemplate, { subject: string; lines: string[] }> = {
  reminder: {
    subject: 'Finish opening your account',
    lines: ['Your account opening is waiting for you.', 'Pick up where you left off to finish it.'],
  },
  expired: {
    subject: 'Your account opening has expired',
    lines: ['We closed your account opening because it was not completed in time.', 'You are welcome to start again.'],
  },
  'kyc-approved': {
    subject: 'Your identity is verified',
    lines: ['We have verified your identity.', 'Your account is about to be activated.'],
  },
  'kyc-rejected': {
    subject: 'We could not open your account',
    lines: ['We could not verify your identity, so we cannot open your account.'],
  },
  'kyc-review': {
    subject: 'We are reviewing your application',
    lines: ['Our compliance team is reviewing your application.', 'We will write to you once they have decided.'],
  },
  welcome: {
    subject: 'Welcome: your account is active',
    lines: ['Your account is now active. Welcome aboard!'],
  },
};

export function customerEmail(template: CustomerEmailTemplate, firstName: string) {
  const { subject, lines } = COPY[template];
  return {
    subject,
    text: [`Hello ${firstName},`, '', ...lines].join('\n'),
    html: [`<p>Hello ${escapeHtml(firstName)},</p>`, ...lines.map((line) => `<p>${escapeHtml(line)}</p>`)].join('\n'),
  };
}
