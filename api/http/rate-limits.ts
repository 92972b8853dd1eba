/**
 * Rate limits, as the first route check after authentication. A tenant route draws on its tenant's budget per
 * minute (by tier: 100 / 500 / 2,000, or the CUSTOM limit), whichever credential or process the request comes
 * through; a public route that declares `ipRateLimit` draws on its caller's IP's budget. Every answer of a limited
 * route carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; one over the budget is a 429 with
 * Retry-After, refused before anything is read or written.
 *
 * The limit is read from the tenant's row on every request (TenantAccessService), so a tier change applies to the
 * next request; the count already used in the current minute carries over to the new limit.
 */
import type { RequestHandler, Response } from 'express';
import { tenantOf } from '../auth/guards';
import type { TenantAccessService } from '../tenancy/access';
import { RateLimitExceededError } from './errors';
import type { RateLimitCounter, RateLimitState } from './rate-limit-store';
import { rateLimitOf, type IpRateLimit, type RouteChecks } from './route';

const WINDOW_SECONDS = 60;

export interface RateLimitDeps {
  counter: RateLimitCounter;
  access: Pick<TenantAccessService, 'forRequest'>;
  /** Requests per minute from one IP address, per kind of public route. */
  perIpPerMinute: Record<IpRateLimit, number>;
}

export function createRateLimits({ counter, access, perIpPerMinute }: RateLimitDeps): RouteChecks {
  const tenantBudget: RequestHandler = async (req, res, next) => {
    const tenantId = tenantOf(req);
    const { ratePerMinute } = await access.forRequest(req, tenantId);
    enforce(res, await counter.consume(`tenant:${tenantId}`, ratePerMinute, WINDOW_SECONDS));
    next();
  };
  // req.ip honours `trust proxy` (api/app.ts): the client's address as a proxy on this machine forwards it.
  const ipBudget =
    (kind: IpRateLimit): RequestHandler =>
    async (req, res, next) => {
      enforce(res, await counter.consume(`ip:${kind}:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`, perIpPerMinute[kind], WINDOW_SECONDS));
      next();
    };
  const ipBudgets: Record<IpRateLimit, RequestHandler> = {
    tokenEndpoint: ipBudget('tokenEndpoint'),
    providerWebhook: ipBudget('providerWebhook'),
    customerSignIn: ipBudget('customerSignIn'),
  };

  return (route) => {
    const limit = rateLimitOf(route);
    if (!limit) return [];
    return [limit.by === 'tenant' ? tenantBudget : ipBudgets[limit.limit]];
  };
}

/** The headers go on the response now, so the answer carries them whatever it turns out to be. */
function enforce(res: Response, state: RateLimitState): void {
  res.set({
    'RateLimit-Limit': String(state.limit),
    'RateLimit-Remaining': String(state.remaining),
    'RateLimit-Reset': String(state.resetSeconds),
  });
  if (!state.allowed) throw new RateLimitExceededError(state.resetSeconds);
}
