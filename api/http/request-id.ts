/**
 * Every request carries an id: the caller's X-Request-Id when it is sane (8–128 characters of letters, digits and
 * `._:-`, so it is safe in logs and the audit trail), else a new UUID. It is echoed in the X-Request-Id response
 * header, and the audit trail records it, so a caller can quote it and an auditor can find the call.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    requestId?: string;
  }
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export const requestId: RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  req.requestId = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  res.set('X-Request-Id', req.requestId);
  next();
};

export function requestIdOf(req: Request): string {
  return req.requestId ?? 'none';
}
