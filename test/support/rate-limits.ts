/** What the rate-limit tests share: a tenant of a given tier, the RateLimit headers, and seed 000's 429. */
import type { TenantTier } from '../../common/statuses';
import type { Harness } from './harness';
import { http, type HttpResult } from './tenant-client';
import { staffHeaders } from './staff';

/** A cheap tenant GET (one small read) that every tier may call. */
export const CHEAP_GET = '/v2/reference/account-purposes';

/** A tenant of `tier`, created by the platform admin through `apiUrl`, and the headers of its calls. */
export async function tenantWithTier(h: Harness, tier: TenantTier, apiUrl = h.api.url): Promise<{ tenantId: string; headers: Record<string, string> }> {
  const created = await http(apiUrl, 'POST', '/api/v2.1/admin/tenants', {
    body: { name: `${tier} Bank`, tier },
    headers: await staffHeaders(h, 'PLATFORM_ADMIN'),
  });
  if (created.status !== 201) throw new Error(`tenant creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const { tenantId, clientId, clientSecret } = created.body;
  const issued = await http(apiUrl, 'POST', '/api/v2.1/oauth/token', { body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
  if (issued.status !== 200) throw new Error(`token request failed: ${issued.status} ${JSON.stringify(issued.body)}`);
  return { tenantId, headers: { authorization: `Bearer ${issued.body.access_token}`, 'x-tenant-id': tenantId } };
}

export const limitHeaders = (res: HttpResult) => ({
  limit: res.headers.get('ratelimit-limit'),
  remaining: res.headers.get('ratelimit-remaining'),
  reset: Number(res.headers.get('ratelimit-reset')),
});

/** `count` GETs of CHEAP_GET, ten at a time, spread over `urls` in turn by batch. */
export async function cheapGets(urls: string[], headers: Record<string, string>, count: number): Promise<HttpResult[]> {
  const answers: HttpResult[] = [];
  for (let batch = 0; answers.length < count; batch++) {
    const url = urls[batch % urls.length];
    const size = Math.min(10, count - answers.length);
    answers.push(...(await Promise.all(Array.from({ length: size }, () => http(url, 'GET', CHEAP_GET, { headers })))));
  }
  return answers;
}

/** Seed 000's 429, exactly, with Retry-After and the RateLimit headers agreeing with it. */
export function expectRefused(res: HttpResult, limit: number) {
  expect(res.status).toBe(429);
  expect(res.body).toStrictEqual({ error: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests, please try again later', retryAfter: expect.any(Number) });
  expect(Number.isInteger(res.body.retryAfter) && res.body.retryAfter >= 1 && res.body.retryAfter <= 60).toBe(true);
  expect(res.headers.get('retry-after')).toBe(String(res.body.retryAfter));
  expect(limitHeaders(res)).toEqual({ limit: String(limit), remaining: '0', reset: res.body.retryAfter });
}
