/** The e-mail asking a person for what their identity check needs, with the code they give the tenant's app. */
import { escapeHtml } from './escape';

export function identityInvitationEmail({ firstName, code, reminder }: { firstName?: string; code: string; reminder: boolean }) {
  const subject = reminder ? 'Reminder: we still need a few details to verify your identity' : 'We need a few details to verify your identity';
  const greeting = firstName ? `Hello ${firstName},` : 'Hello,';
  const lines = [
    'To finish verifying your identity we need your date of birth, nationality and address.',
    `Open the app that asked you to verify and enter this code with your details: ${code}`,
    'If you were not expecting this, ignore this message.',
  ];
  return {
    subject,
    text: [greeting, '', ...lines].join('\n'),
    html: [`<p>${escapeHtml(greeting)}</p>`, ...lines.map((line) => `<p>${escapeHtml(line)}</p>`)].join('\n'),
  };
}
