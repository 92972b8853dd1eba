import { escapeHtml } from './escape';

export interface VerificationEmailInput {
  firstName: string;
  code: string;
  expiresInMinutes: number;
}

export function verificationEmail({ firstName, code, expiresInMinutes }: VerificationEmailInput) {
  const subject = 'Your verification code';
  const text = [
    `Hello ${firstName},`,
    '',
    `Your e-mail verification code is ${code}.`,
    `It expires in ${expiresInMinutes} minutes. If you did not sign up, ignore this message.`,
  ].join('\n');
  const html = `<p>Hello ${escapeHtml(firstName)},</p>
<p>Your e-mail verification code is <strong style="font-size:1.4em;letter-spacing:0.1em">${code}</strong>.</p>
<p>It expires in ${expiresInMinutes} minutes. If you did not sign up, ignore this message.</p>`;
  return { subject, text, html };
}
