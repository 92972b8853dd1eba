/**
 * GET /metrics on the API, for Prometheus. A plain route beside /health rather than a `mountRoute` spec: its answer
 * is Prometheus text, not JSON, it is for operators' scrapers and not part of the tenant API the OpenAPI document
 * describes, and the worker's metrics port serves the very same handler without the API's guards.
 */
import type { Router } from 'express';
import type { Knex } from '../../common/db';
import type { Logger } from '../../common/logger';
import { metricsHandler } from './endpoint';
import { createOnboardingFigures } from './onboarding-figures';

export function mountMetricsRoutes(router: Router, { db, token, logger }: { db: Knex; token?: string; logger: Logger }): void {
  const figures = createOnboardingFigures(db);
  router.get('/metrics', metricsHandler({ token, logger, sources: [{ name: 'postgres', read: () => figures.metrics() }] }));
}
