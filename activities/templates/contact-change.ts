/** Messages of a contact change: the code to the new contact, and the notice to the old one. */
import { escapeHtml } from './escape';

/** "m***@example.com", "*******4567": enough for the owner to recognise, too little for anyone else to use. */
export function maskContact(channel: 'EMAIL' | 'PHONE', value: string): string {
  if (channel === 'PHONE') return `${'*'.repeat(Math.max(0, value.length - 4))}${value.slice(-4)}`;
  const [local, domain] = value.split('@');
  return `${local.slice(0, 1)}***@${domain}`;
}

const WHAT = { EMAIL: 'e-mail address', PHONE: 'phone number' } as const;

export function contactChangeCodeEmail({ firstName, code, expiresInMinutes }: { firstName: string; code: string; expiresInMinutes: number }) {
  const subject = 'Confirm your new e-mail address';
  const lines = [`Your confirmation code is ${code}.`, `It expires in ${expiresInMinutes} minutes. If you did not ask to change your e-mail address, ignore this message.`];
  return {
    subject,
    text: [`Hello ${firstName},`, '', ...lines].join('\n'),
    html: `<p>Hello ${escapeHtml(firstName)},</p>\n<p>Your confirmation code is <strong style="font-size:1.4em;letter-spacing:0.1em">${code}</strong>.</p>\n<p>${escapeHtml(lines[1])}</p>`,
  };
}

export const contactChangeCodeSms = (code: string, expiresInMinutes: number) =>
  `Your confirmation code is ${code}. It confirms this number as your new phone number and expires in ${expiresInMinutes} minutes.`;

export function contactChangedEmail({ firstName, channel, masked }: { firstName: string; channel: 'EMAIL' | 'PHONE'; masked: string }) {
  const subject = `Your ${WHAT[channel]} was changed`;
  const line = `Your ${WHAT[channel]} was changed to ${masked}. If you did not make this change, contact us at once.`;
  return { subject, text: [`Hello ${firstName},`, '', line].join('\n'), html: `<p>Hello ${escapeHtml(firstName)},</p>\n<p>${escapeHtml(line)}</p>` };
}

export const contactChangedSms = (masked: string) => `Your phone number was changed to ${masked}. If you did not make this change, contact us at once.`;
