/** Request and response schemas of the tenant webhook routes, shared by validation, types and the OpenAPI document. */
import { WEBHOOK_EVENT_TYPES } from '../../common/webhook-events';
import { z } from '../http/openapi';
import { emailAddress, freeText } from '../schemas/customer-fields';
import { idOf } from '../schemas/params';

/** How many subscriptions one tenant may hold: each is a delivery workflow and a queue to drain. */
export const MAX_SUBSCRIPTIONS_PER_TENANT = 20;
export const DEFAULT_OVERLAP_SECONDS = 24 * 60 * 60;
export const MAX_OVERLAP_SECONDS = 7 * 24 * 60 * 60;

export const subscriptionId = idOf('whsub', 'whsub_4e1f0a9c2b7d3e5f6a8b0c1d');
/** Delivery ids are the log's own sequence: a positive decimal integer. */
export const deliveryId = z.string().regex(/^[1-9][0-9]{0,17}$/, 'Must be a deliveryId from the delivery log').openapi({ example: '1042' });
export const subscriptionParams = z.object({ subscriptionId });
export const deliveryParams = z.object({ subscriptionId, deliveryId });

const eventType = z.enum(WEBHOOK_EVENT_TYPES, `Must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
const eventTypes = z
  .array(eventType)
  .min(1, 'Name at least one event type')
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)].sort())
  .openapi({ description: 'The event types to receive (GET /api/v2.1/webhooks/event-types lists them)' });
/** Checked in full by the URL guard (scheme, host, address), whose message names what is wrong. */
const url = z.string().trim().min(1, 'Required').max(2048).openapi({
  format: 'uri',
  description: 'Where events are POSTed: https to a public host (plain http and private addresses only where WEBHOOK_ALLOW_PRIVATE_URLS allows)',
  example: 'https://hooks.example.com/onboarding',
});
const description = freeText(500).nullable().optional().openapi({ description: 'A note for the tenant; null clears it' });
const alertEmail = emailAddress.nullable().optional().openapi({
  description: 'Told when the subscription is disabled because its endpoint keeps failing',
});

export const createSubscriptionBody = z
  .strictObject({ url, eventTypes, description, alertEmail })
  .openapi('WebhookSubscriptionCreate');

export const updateSubscriptionBody = z
  .strictObject({
    url: url.optional(),
    eventTypes: eventTypes.optional(),
    description,
    alertEmail,
    enabled: z.boolean().optional().openapi({
      description: 'false stops deliveries (reason TENANT) and cancels what is pending; true turns a disabled subscription on again, whatever disabled it',
    }),
  })
  .refine((body) => Object.keys(body).length > 0, {
    error: 'Name at least one of url, eventTypes, description, alertEmail, enabled',
    when: ({ issues }) => issues.length === 0,
  })
  .openapi('WebhookSubscriptionUpdate');

export const rotateSecretBody = z
  .strictObject({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_OVERLAP_SECONDS, `At most ${MAX_OVERLAP_SECONDS} (7 days)`)
      .default(DEFAULT_OVERLAP_SECONDS)
      .openapi({ description: 'How long the old secret keeps signing beside the new one (default 24 h, at most 7 days; 0 stops it now)' }),
  })
  .openapi('WebhookSecretRotation');

export const subscriptionView = z
  .object({
    subscriptionId: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()),
    description: z.string().nullable(),
    alertEmail: z.string().nullable(),
    enabled: z.boolean(),
    disabledReason: z.enum(['TENANT', 'GONE', 'FAILING']).nullable().openapi({
      description: 'TENANT: turned off by the tenant; GONE: the endpoint answered 410; FAILING: it kept failing',
    }),
    disabledAt: z.iso.datetime().nullable(),
    previousSecretExpiresAt: z.iso.datetime().nullable().openapi({ description: 'Until then the secret replaced by the last rotation also signs' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('WebhookSubscription');

const secret = z.string().openapi({
  description: 'The signing secret (Standard Webhooks, whsec_…). Shown only in this answer: store it now.',
  example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
});

export const createdSubscriptionView = subscriptionView.extend({ secret }).openapi('WebhookSubscriptionCreated');

export const rotatedSecretView = z
  .object({ subscriptionId: z.string(), secret, previousSecretExpiresAt: z.iso.datetime().nullable() })
  .openapi('WebhookSecretRotated');

export const DELIVERY_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;

export const deliveryLogQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  eventType: eventType.optional(),
  cursor: deliveryId.optional().openapi({ description: 'nextCursor of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const deliveryView = z
  .object({
    deliveryId: z.string(),
    eventId: z.string().openapi({ description: 'The event\'s stable id (the webhook-id header): the same on every attempt and redelivery' }),
    eventType: z.string(),
    eventVersion: z.number().int(),
    occurredAt: z.iso.datetime(),
    status: z.enum(DELIVERY_STATUSES),
    manual: z.boolean().openapi({ description: 'Created by a redelivery or a test rather than by the event itself' }),
    attempts: z.array(
      z.object({
        at: z.iso.datetime(),
        statusCode: z.number().int().nullable().openapi({ description: "The endpoint's HTTP status; null when no answer came" }),
        latencyMs: z.number().int(),
        error: z.string().nullable(),
      }),
    ),
    nextAttemptAt: z.iso.datetime().nullable().openapi({ description: 'When the next attempt is due; null once the delivery is over' }),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .openapi('WebhookDelivery');

export const deliveryPage = z
  .object({ data: z.array(deliveryView), nextCursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next (older) page; null on the last' }) })
  .openapi('WebhookDeliveryPage');

export const queuedDeliveryView = z
  .object({ deliveryId: z.string(), eventId: z.string() })
  .openapi('WebhookDeliveryQueued', { description: 'A delivery owed now; the subscription\'s delivery workflow has been woken' });

export const sandboxEventBody = z
  .strictObject({
    type: eventType,
    customerId: z
      .string()
      .regex(/^(cust|org)_[0-9a-f]{24}$/, 'Must be a cust_ or org_ id (the prefix and 24 lowercase hex digits)')
      .optional()
      .openapi({ description: 'One of your customers the event names; without it a made-up sandbox id (cust_sandbox_… or org_sandbox_…) is used' }),
  })
  .openapi('SandboxWebhookEvent');

export const recordedEventView = z
  .object({ eventId: z.string(), type: z.string(), subscriptionIds: z.array(z.string()).openapi({ description: 'The subscriptions that now owe the event' }) })
  .openapi('WebhookEventRecorded');
