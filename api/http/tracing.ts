/**
 * One server span per request, installed only when tracing is on (common/tracing.ts). It continues a caller's W3C
 * `traceparent` and is the active span while the request is handled, so the Temporal client's start/update span
 * (and through it the workflow and its activities) belong to the request's trace.
 *
 * Named after the route template once routing has matched it (`POST /api/v2.1/customer/individual/registration`,
 * `GET /api/v2.1/customer/:customerId`), never the concrete URL: paths hold customer ids and queries may hold
 * anything. Attributes are the method, the template and the status code only: no URL, body, caller or tenant.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import type { Request, RequestHandler } from 'express';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function traceRequests(tracer: Tracer): RequestHandler {
  return (req, res, next) => {
    const method = KNOWN_METHODS.has(req.method) ? req.method : '_OTHER';
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method } }, parent);
    res.once('finish', () => {
      const route = routeTemplate(req);
      span.updateName(`${method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    // A client that goes away before the answer still ends the span (without a status code).
    res.once('close', () => {
      if (!res.writableFinished) span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** The matched route's template; requests no route matched (404s, probes of unknown paths) share one name. */
function routeTemplate(req: Request): string {
  const path: unknown = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : '(unmatched)';
}
