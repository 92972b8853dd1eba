/**
 * The one door to SMS. The development sender keeps messages in `sms_outbox` (tests and the sandbox API read
 * codes there); the HTTP adapter posts to a provider configured by SMS_PROVIDER_URL / SMS_PROVIDER_TOKEN.
 */
import type { Knex } from '../common/db';

export interface SmsSender {
  send(message: { tenantId: string; to: string; text: string }): Promise<void>;
}

export function createOutboxSmsSender(db: Knex): SmsSender {
  return {
    async send({ tenantId, to, text }) {
      await db('sms_outbox').insert({ tenant_id: tenantId, phone: to, body: text });
    },
  };
}

export function createHttpSmsSender(url: string, token: string, timeoutMs = 10_000): SmsSender {
  return {
    async send({ to, text }) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ to, text }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Retryable by the activity's policy: the provider decides nothing on a failed request.
      if (!response.ok) throw new Error(`SMS provider answered ${response.status}`);
    },
  };
}
