/**
 * Tenant webhooks in tests: subscriptions inserted the way the subscription store writes them (secret sealed with
 * the field cipher under its purpose and context), events recorded through the outbox in a transaction and woken
 * after the commit (as an emitter does), and a local receiver that verifies every request's signature with the
 * standardwebhooks library.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { fieldCipherFor } from '../../common/field-encryption';
import type { WebhookEventInput, WebhookEventType } from '../../common/webhook-events';
import { recordEvent } from '../../api/webhooks/outbox';
import { newWebhookSecret } from '../../api/webhooks/signature';
import { secretContext, WEBHOOK_SECRET_PURPOSE } from '../../api/webhooks/signing-secrets';
import type { Harness } from './harness';

export interface TestSubscription {
  id: string;
  tenantId: string;
  secret: string;
  previousSecret?: string;
}

export async function createTestSubscription(
  h: Harness,
  tenantId: string,
  options: { url: string; eventTypes?: WebhookEventType[]; alertEmail?: string; previousSecretExpiresAt?: Date },
): Promise<TestSubscription> {
  const id = `whs_${randomBytes(12).toString('hex')}`;
  const cipher = fieldCipherFor(h.secrets, WEBHOOK_SECRET_PURPOSE);
  const context = secretContext(tenantId, id);
  const secret = newWebhookSecret();
  const previousSecret = options.previousSecretExpiresAt ? newWebhookSecret() : undefined;
  await h.db('webhook_subscriptions').insert({
    id,
    tenant_id: tenantId,
    url: options.url,
    event_types: options.eventTypes ?? ['customer.status_changed'],
    alert_email: options.alertEmail ?? null,
    secret_sealed: cipher.encrypt(secret, context),
    previous_secret_sealed: previousSecret ? cipher.encrypt(previousSecret, context) : null,
    previous_secret_expires_at: options.previousSecretExpiresAt ?? null,
  });
  return { id, tenantId, secret, previousSecret };
}

/** A customer.status_changed event for `customerId`, its `status` telling the events apart. */
export function statusChanged(tenantId: string, customerId: string, status: string): WebhookEventInput<'customer.status_changed'> {
  return {
    tenantId,
    type: 'customer.status_changed',
    subjectId: customerId,
    data: { customerId, customerType: 'INDIVIDUAL', status, previousStatus: null, lifecycleStatus: 'ONBOARDING' },
  };
}

/**
 * Records the events in one transaction, in order (as one change that emits several events would), and wakes
 * their subscriptions after the commit. Returns the events' ids.
 */
export async function recordAndWake(h: Harness, events: WebhookEventInput[]): Promise<string[]> {
  const recorded = await h.db.transaction(async (trx) => {
    const results = [];
    for (const event of events) results.push(await recordEvent(trx, event));
    return results;
  });
  const tenantIds = [...new Set(events.map((event) => event.tenantId))];
  for (const tenantId of tenantIds) {
    const subscriptionIds = recorded.filter((_, index) => events[index]!.tenantId === tenantId).flatMap((result) => result.subscriptionIds);
    await h.activityDeps.webhookWake(tenantId, subscriptionIds);
  }
  return recorded.map((result) => result.eventId);
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  envelope: { id: string; type: string; version: number; timestamp: string; data: Record<string, any> };
  /** The answer the receiver gave. */
  answered: number;
}

/** What the receiver answers a request with: a status code, and optionally headers (e.g. a redirect's Location). */
export type Responder = (request: ReceivedWebhook) => number | { status: number; headers: Record<string, string> };

export interface Receiver {
  url: string;
  port: number;
  /** The subscription's secret every request must verify with (set once the subscription exists). */
  secret: string;
  received: ReceivedWebhook[];
  /** Requests whose signature did not verify (answered 401); every test expects none. */
  unverified: number;
  respond: Responder;
  /** Stops listening: attempts meet a closed port (connection refused) until `start()`. */
  stop(): Promise<void>;
  /** Listens again, on the same port. */
  start(): Promise<void>;
}

/** A tenant's endpoint on a free port: verifies each request with `secret`, then answers what `respond` says. */
export async function startReceiver(respond: Responder = () => 200): Promise<Receiver> {
  let server: Server | undefined;
  const receiver: Receiver = {
    url: '',
    port: 0,
    secret: '',
    received: [],
    unverified: 0,
    respond,
    stop: async () => {
      const closing = server;
      server = undefined;
      if (!closing) return;
      await new Promise<void>((resolve) => {
        closing.close(() => resolve());
        closing.closeAllConnections();
      });
    },
    start: async () => {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let envelope: ReceivedWebhook['envelope'];
          try {
            envelope = new Webhook(receiver.secret).verify(body, req.headers as Record<string, string>) as ReceivedWebhook['envelope'];
          } catch {
            receiver.unverified += 1;
            res.writeHead(401).end();
            return;
          }
          const request: ReceivedWebhook = { headers: req.headers, body, envelope, answered: 0 };
          const answer = receiver.respond(request);
          const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
          request.answered = status;
          receiver.received.push(request);
          res.writeHead(status, headers).end('ok');
        });
      });
      await new Promise<void>((resolve) => server!.listen(receiver.port, '127.0.0.1', resolve));
      receiver.port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${receiver.port}/hooks`;
    },
  };
  await receiver.start();
  return receiver;
}

/** Polls until `check` passes (it throws or returns false until then); answers what it returned then. */
export async function eventually<T>(check: () => Promise<T | false> | T | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const result = await check();
      if (result !== false) return result as T;
      if (Date.now() > deadline) throw new Error('condition not met in time');
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The statuses of a subject's events as the receiver accepted them (2xx), in order of arrival. */
export function acceptedStatuses(receiver: Receiver, customerId: string): string[] {
  return receiver.received
    .filter((request) => request.answered >= 200 && request.answered < 300 && request.envelope.data.customerId === customerId)
    .map((request) => request.envelope.data.status as string);
}

/** A subject's events in the order the receiver was asked to take them, a retry of the same event counted once. */
export function offeredStatuses(receiver: Receiver, customerId: string): string[] {
  const statuses = receiver.received.filter((request) => request.envelope.data.customerId === customerId).map((request) => request.envelope.data.status as string);
  return statuses.filter((status, index) => index === 0 || statuses[index - 1] !== status);
}
