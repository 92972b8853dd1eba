/**
 * Request rate, errors and latency by route: one histogram whose labels are the route's template (as declared, e.g.
 * `/api/v2.1/customer/:customerId`), the method and the status class. Never the raw path (ids), the query or the
 * tenant: tenants are created at run time, so a tenant label would grow without bound (per-tenant figures live in
 * the audit trail). Requests no route matched (404s, bodies refused before routing) share `route="unmatched"`.
 */
import type { RequestHandler } from 'express';
import { Histogram } from 'prom-client';
import { CALL_SECONDS_BUCKETS, metricsRegistry } from '../../common/metrics/registry';

const httpRequestSeconds = new Histogram({
  name: 'onboarding_http_request_duration_seconds',
  help: 'API requests by route template, method and status class (2xx, 4xx, 5xx …), and how long they took',
  labelNames: ['route', 'method', 'status_class'],
  buckets: CALL_SECONDS_BUCKETS,
  registers: [metricsRegistry],
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export const httpMetrics: RequestHandler = (req, res, next) => {
  const stop = httpRequestSeconds.startTimer();
  res.on('finish', () => {
    // Set by the router on a match; a sub-router's template is relative to where it is mounted.
    const template = typeof req.route?.path === 'string' ? `${req.baseUrl}${req.route.path}` : 'unmatched';
    stop({
      route: template,
      method: METHODS.has(req.method) ? req.method : 'OTHER',
      status_class: `${Math.floor(res.statusCode / 100)}xx`,
    });
  });
  next();
};
