import { escapeHtml } from './escape';

export function passwordResetEmail({ firstName, code, expiresInMinutes }: { firstName: string; code: string; expiresInMinutes: number }) {
  const subject = 'Your password reset code';
  const text = [
    `Hello ${firstName},`,
    '',
    `Your password reset code is ${code}.`,
    `It expires in ${expiresInMinutes} minutes. If you did not ask to set a password, ignore this message.`,
  ].join('\n');
  const html = `<p>Hello ${escapeHtml(firstName)},</p>
<p>Your password reset code is <strong style="font-size:1.4em;letter-spacing:0.1em">${code}</strong>.</p>
<p>It expires in ${expiresInMinutes} minutes. If you did not ask to set a password, ignore this message.</p>`;
  return { subject, text, html };
}
