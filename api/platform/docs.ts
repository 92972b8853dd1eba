import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { generateDocument } from '../http/openapi';

/** Serves the OpenAPI document built from the mounted routes, and an interactive reference at /docs. */
export function mountDocsRoutes(router: Router, registry: OpenAPIRegistry) {
  const document = generateDocument(registry);
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use('/docs', swaggerUi.serve, swaggerUi.setup(document as never, { customSiteTitle: 'Customer Onboarding API' }));
}
