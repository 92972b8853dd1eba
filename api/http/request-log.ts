/** The access log. */
import type { RequestHandler } from 'express';
import type { Logger } from '../../common/logger';

/** One line per request: method, route, status, duration. Never bodies, headers or query strings. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path: req.route?.path ?? req.path, status: res.statusCode, ms: Math.round(ms), requestId: req.requestId }, 'request');
    });
    next();
  };
}
