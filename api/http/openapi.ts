/**
 * The OpenAPI registry. Routes register their zod schemas here as they are mounted, so the document served at
 * /openapi.json is generated from the very schemas that validate requests.
 */
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };

export const errorBodySchema = z
  .object({
    error: z.string().openapi({ example: 'VALIDATION_ERROR' }),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Error');

/** Seed 000's 429 body. */
export const rateLimitBodySchema = z
  .object({
    error: z.literal('RATE_LIMIT_EXCEEDED'),
    message: z.string().openapi({ example: 'Too many requests, please try again later' }),
    retryAfter: z.number().int().openapi({ description: 'Seconds until the window ends', example: 60 }),
  })
  .openapi('RateLimitError');

/** Sent with every answer of a rate-limited route (IETF draft-ietf-httpapi-ratelimit-headers). */
export const rateLimitHeaders = z.object({
  'RateLimit-Limit': z.string().openapi({ description: 'Requests allowed per window (one minute)', example: '500' }),
  'RateLimit-Remaining': z.string().openapi({ description: 'Requests left in the current window', example: '499' }),
  'RateLimit-Reset': z.string().openapi({ description: 'Seconds until the current window ends', example: '60' }),
});

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  registry.registerComponent('securitySchemes', 'tenant', { type: 'apiKey', in: 'header', name: 'X-Tenant-ID' });
  registry.registerComponent('securitySchemes', 'platformAdmin', {
    type: 'http',
    scheme: 'bearer',
    description: 'The static platform token (PLATFORM_ADMIN_TOKEN); it only bootstraps the first staff account.',
  });
  registry.registerComponent('securitySchemes', 'staffSession', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A staff session token from password + TOTP login (or the OIDC provider in front). The back office sends the same ' +
      'session as the __Host-staff_session cookie instead (login with "session": "cookie"); then POST, PUT, PATCH and ' +
      'DELETE need X-CSRF-Token, and an Origin other than the API\'s own is refused (403 CSRF_REJECTED).',
  });
  registry.registerComponent('securitySchemes', 'customerSession', {
    type: 'http',
    scheme: 'bearer',
    description: "A customer's session token from /api/v2.1/customer/auth/login; reaches only that customer's data.",
  });
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  return registry;
}

export function generateDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Customer Onboarding API',
      version: '2.1.0',
      description:
        'Onboards individual and business customers of a tenant through durable workflows: registration, ' +
        'contact verification, profile, consents, KYC and activation.',
    },
  });
}
