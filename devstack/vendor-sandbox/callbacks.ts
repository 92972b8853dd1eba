/**
 * Delivery of the sandbox's signed decision callbacks (Standard Webhooks: webhook-id / webhook-timestamp /
 * webhook-signature). At-least-once with bounded retries: a callback answered with 5xx or 429, or not answered
 * at all, is retried after each of `retryDelaysMs` under the same webhook-id, then dropped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Webhook } from 'standardwebhooks';

export interface CallbackSenderOptions {
  signer: Webhook;
  retryDelaysMs: number[];
  /** Per attempt: a receiver that hangs counts as unreachable. */
  timeoutMs: number;
  /** Aborted when the sandbox stops: cancels waits and requests in flight. */
  signal: AbortSignal;
  log: (message: string) => void;
  /** Names the sandbox in log lines, e.g. "kyc-sandbox". */
  logPrefix: string;
}

export function createCallbackSender({ signer, retryDelaysMs, timeoutMs, signal, log, logPrefix }: CallbackSenderOptions) {
  async function post(url: string, messageId: string, payload: string): Promise<'delivered' | 'retry' | 'refused'> {
    const sentAt = new Date(); // signed per attempt: a stale timestamp would be refused as a replay
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'webhook-id': messageId,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signer.sign(messageId, sentAt, payload),
        },
        body: payload,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
      await response.body?.cancel();
      if (response.ok) return 'delivered';
      return response.status >= 500 || response.status === 429 ? 'retry' : 'refused';
    } catch (error) {
      if (signal.aborted) throw error;
      return 'retry'; // unreachable, reset or timed out
    }
  }

  /** Resolves once delivered or dropped; rejects only when the sandbox stops meanwhile. */
  return async function deliver(url: string, messageId: string, payload: string, label: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const verdict = await post(url, messageId, payload);
      if (verdict === 'delivered') return;
      if (verdict === 'refused' || attempt >= retryDelaysMs.length) {
        log(`${logPrefix}: callback for ${label} dropped after ${attempt + 1} attempt(s) (${verdict})`);
        return;
      }
      await sleep(retryDelaysMs[attempt], undefined, { signal });
    }
  };
}
