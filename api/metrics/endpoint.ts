/**
 * GET /metrics for any process (the API's router, the worker's own port): prom-client's registries, then the
 * Temporal SDK's exporter when this process runs a worker. A source that fails (the database behind a gauge, the
 * SDK exporter) leaves its figures out and reads 0 on `onboarding_metrics_source_up`, so a scrape never fails
 * whole because one part did.
 *
 * With a token configured (METRICS_TOKEN), only `Authorization: Bearer <token>` is answered; the comparison takes
 * the same time whatever the guess.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Gauge, Registry } from 'prom-client';
import type { Logger } from '../../common/logger';
import { loggableError, UnauthorizedError } from '../http/errors';
import { metricsRegistry } from '../../common/metrics/registry';
import { temporalSdkMetrics } from '../../common/metrics/temporal-runtime';

export interface MetricsSource {
  /** Label value on onboarding_metrics_source_up, e.g. `postgres`. */
  name: string;
  /** Exposition text; undefined when the source does not apply to this process. */
  read(): Promise<string | undefined>;
}

export interface MetricsEndpointOptions {
  token?: string;
  /** Registries beside the process's own (e.g. gauges the API reads from PostgreSQL at scrape time). */
  sources?: MetricsSource[];
  /** Told which source failed and why (a scrape every few seconds: the gauge says it, the log says why). */
  logger?: Logger;
}

export function metricsHandler({ token, sources = [], logger }: MetricsEndpointOptions): RequestHandler {
  const health = new Registry();
  const sourceUp = new Gauge({
    name: 'onboarding_metrics_source_up',
    help: 'Whether each source of this scrape answered (1) or was left out (0)',
    labelNames: ['source'],
    registers: [health],
  });
  const all: MetricsSource[] = [
    { name: 'process', read: () => metricsRegistry.metrics() },
    ...sources,
    { name: 'temporal_sdk', read: temporalSdkMetrics },
  ];
  const authorized = bearerCheck(token);

  return async (req, res) => {
    if (!authorized(req.get('authorization'))) throw new UnauthorizedError('Missing or invalid metrics token');
    const texts = await Promise.all(
      all.map(async ({ name, read }) => {
        try {
          const text = await read();
          if (text !== undefined) sourceUp.set({ source: name }, 1);
          return text ?? '';
        } catch (error) {
          logger?.warn({ source: name, err: loggableError(error) }, 'metrics source left out of the scrape');
          sourceUp.set({ source: name }, 0);
          return '';
        }
      }),
    );
    const body = [...texts, await health.metrics()].filter((text) => text !== '').map((text) => (text.endsWith('\n') ? text : `${text}\n`));
    res.set('content-type', metricsRegistry.contentType).set('cache-control', 'no-store').send(body.join(''));
  };
}

/** Open when no token is configured; otherwise a constant-time comparison of digests (equal length by construction). */
function bearerCheck(token: string | undefined): (header: string | undefined) => boolean {
  if (!token) return () => true;
  const expected = digest(token);
  return (header) => {
    const match = /^Bearer (.+)$/i.exec(header ?? '');
    return match !== null && timingSafeEqual(digest(match[1]), expected);
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();
