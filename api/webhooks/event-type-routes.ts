/**
 * The event catalogue, for tenants: a route that lists it, and the OpenAPI document's own account of it — each
 * type's `data` schema and its envelope as named, versioned components, and each type as an OpenAPI 3.1 `webhook`
 * (what we POST to a subscriber, with the Standard Webhooks headers). One source: common/webhook-events.ts.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { WEBHOOK_EVENT_CATALOGUE, WEBHOOK_EVENT_TYPES, webhookEnvelopeSchema, type WebhookEventType } from '../../common/webhook-events';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';

const eventTypeView = z
  .object({
    type: z.enum(WEBHOOK_EVENT_TYPES),
    version: z.number().int().openapi({ description: 'Bumped when a field is renamed or removed; new fields are added within a version' }),
    description: z.string(),
    dataSchema: z.string().openapi({ description: "Where the OpenAPI document (/openapi.json) defines this version's `data`", example: '#/components/schemas/CustomerStatusChangedDataV1' }),
  })
  .openapi('WebhookEventType');

/** `customer.status_changed` → `CustomerStatusChanged`. */
function pascal(type: string): string {
  return type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

const dataComponent = (type: WebhookEventType) => `${pascal(type)}DataV${WEBHOOK_EVENT_CATALOGUE[type].version}`;

const signatureHeaders = z.object({
  'webhook-id': z.string().openapi({ description: "The event's id (also the body's `id`): dedupe on it, it is the same on every retry and redelivery" }),
  'webhook-timestamp': z.string().openapi({ description: 'When this attempt was signed, in Unix seconds' }),
  'webhook-signature': z.string().openapi({ description: 'v1,<base64 HMAC-SHA256>; two signatures, space-separated, while a rotated secret overlaps' }),
});

export function registerEventCatalogue(registry: OpenAPIRegistry): void {
  // The catalogue is built with plain zod (common/ must not depend on the HTTP layer), possibly before the OpenAPI
  // extension was installed: a clone is made by the extended classes, so it can carry a component name.
  registry.register('WebhookEnvelope', webhookEnvelopeSchema.clone());
  for (const type of WEBHOOK_EVENT_TYPES) {
    const entry = WEBHOOK_EVENT_CATALOGUE[type];
    const data = registry.register(dataComponent(type), entry.data.clone());
    const envelope = registry.register(
      `${pascal(type)}EventV${entry.version}`,
      webhookEnvelopeSchema.extend({ type: z.literal(type), version: z.literal(entry.version), data }).openapi({ description: entry.description }),
    );
    registry.registerWebhook({
      method: 'post',
      path: type,
      summary: entry.description,
      description: `Sent to subscriptions that list \`${type}\`, signed per Standard Webhooks (verify with the standardwebhooks library and the subscription's secret).`,
      tags: ['Webhooks'],
      request: { headers: signatureHeaders, body: { required: true, content: { 'application/json': { schema: envelope } } } },
      responses: {
        200: { description: 'Any 2xx acknowledges the event' },
        410: { description: 'Gone: the subscription is disabled and nothing more is sent' },
      },
    });
  }
}

export function mountEventTypeRoutes(mount: Mount): void {
  registerEventCatalogue(mount.registry);
  const catalogue = WEBHOOK_EVENT_TYPES.map((type) => ({
    type,
    version: WEBHOOK_EVENT_CATALOGUE[type].version,
    description: WEBHOOK_EVENT_CATALOGUE[type].description,
    dataSchema: `#/components/schemas/${dataComponent(type)}`,
  }));

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/webhooks/event-types',
    summary: 'The events a webhook subscription can receive, each with its current version',
    tag: 'Webhooks',
    security: 'tenant',
    capability: ['SCT01', 'SCT02'],
    responses: {
      200: { description: 'The catalogue', schema: z.object({ data: z.array(eventTypeView) }) },
      401: { description: 'Missing or invalid access token' },
    },
    handler: async () => ({ status: 200, body: { data: catalogue } }),
  });
}
