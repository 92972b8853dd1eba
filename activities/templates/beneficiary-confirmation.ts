import { escapeHtml } from './escape';

/** What the customer is asked to confirm: the payee's name and the account masked, never in full. */
interface ConfirmationContent {
  firstName: string;
  beneficiaryName: string;
  maskedAccount: string;
  code: string;
  expiresInMinutes: number;
}

const lifetime = (minutes: number) => (minutes >= 1 ? `${Math.round(minutes)} minutes` : `${Math.round(minutes * 60)} seconds`);

export function beneficiaryConfirmationEmail({ firstName, beneficiaryName, maskedAccount, code, expiresInMinutes }: ConfirmationContent) {
  const subject = 'Confirm your new payment recipient';
  const text = [
    `Hello ${firstName},`,
    '',
    `A new payment recipient was added to your account: ${beneficiaryName}, account ${maskedAccount}.`,
    `Your confirmation code is ${code}. It expires in ${lifetime(expiresInMinutes)}.`,
    'If you did not add this recipient, do not share the code and contact us.',
  ].join('\n');
  const html = `<p>Hello ${escapeHtml(firstName)},</p>
<p>A new payment recipient was added to your account: <strong>${escapeHtml(beneficiaryName)}</strong>, account ${escapeHtml(maskedAccount)}.</p>
<p>Your confirmation code is <strong style="font-size:1.4em;letter-spacing:0.1em">${code}</strong>. It expires in ${lifetime(expiresInMinutes)}.</p>
<p>If you did not add this recipient, do not share the code and contact us.</p>`;
  return { subject, text, html };
}

export function beneficiaryConfirmationSms({ maskedAccount, code, expiresInMinutes }: Omit<ConfirmationContent, 'firstName' | 'beneficiaryName'>): string {
  return `New payment recipient, account ${maskedAccount}: your confirmation code is ${code}. It expires in ${lifetime(expiresInMinutes)}.`;
}
