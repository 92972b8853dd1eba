/** The e-mail that tells a tenant one of its webhook subscriptions was turned off because it kept failing. */
import { escapeHtml } from './escape';

export const WEBHOOK_FAILING_TEMPLATE = 'webhook-disabled-failing';

/**
 * Names the subscription and where it pointed (scheme, host and path: a query string may carry the receiver's own
 * token), and what to do. Nothing about any customer.
 */
export function webhookFailingEmail({ subscriptionId, url, retryWindowMs }: { subscriptionId: string; url: string; retryWindowMs: number }) {
  const parsed = new URL(url);
  const endpoint = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  const lines = [
    `Your webhook subscription ${subscriptionId} (${endpoint}) has been disabled.`,
    `An event could not be delivered for ${spanOf(retryWindowMs)}: every attempt failed or was not answered with a 2xx status.`,
    'Events recorded while it is disabled are not delivered. Check the delivery log for the status codes and errors,',
    'fix the endpoint, then enable the subscription again; redeliver any event you still need from the log.',
  ];
  return {
    subject: 'Your webhook subscription was disabled',
    text: ['Hello,', '', ...lines].join('\n'),
    html: ['<p>Hello,</p>', ...lines.map((line) => `<p>${escapeHtml(line)}</p>`)].join('\n'),
  };
}

/** "3 days", "6 hours", "2 seconds": the window as configured, in its largest whole unit. */
function spanOf(ms: number): string {
  const units: Array<[string, number]> = [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000], ['second', 1_000]];
  const [unit, size] = units.find(([, size]) => ms >= size && ms % size === 0) ?? ['second', 1_000];
  const count = Math.max(1, Math.round(ms / size));
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
