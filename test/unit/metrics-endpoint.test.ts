/**
 * /metrics when a part of it fails: the scrape still answers with the rest, and says which part is missing. The
 * database here is one that does not exist (nothing listens on port 1), as when PostgreSQL is down.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createDb } from '../../common/db';
import { createLogger } from '../../common/logger';
import { errorHandler } from '../../api/http/errors';
import { metricsHandler } from '../../api/metrics/endpoint';
import { createOnboardingFigures } from '../../api/metrics/onboarding-figures';

const db = createDb('postgres://nobody@127.0.0.1:1/none', 1, { acquireMs: 500, statementMs: 500 });
let server: Server;
let url: string;

beforeAll(async () => {
  const figures = createOnboardingFigures(db);
  const app = express();
  app.get('/metrics', metricsHandler({ token: 'a-token-of-16-chars', sources: [{ name: 'postgres', read: () => figures.metrics() }] }));
  app.use(errorHandler(createLogger('silent', 'test')));
  await new Promise<void>((resolve) => (server = app.listen(0, '127.0.0.1', () => resolve())));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.destroy();
});

it('answers with the process figures and marks the database figures as left out', async () => {
  const res = await fetch(url, { headers: { authorization: 'Bearer a-token-of-16-chars' } });
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toContain('onboarding_metrics_source_up{source="postgres"} 0');
  expect(text).toContain('onboarding_metrics_source_up{source="process"} 1');
  expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  expect(text).not.toMatch(/^onboarding_customers\{/m);
});

it('refuses a token that differs only in length or case', async () => {
  for (const authorization of ['Bearer a-token-of-16-chars-and-more', 'Bearer A-TOKEN-OF-16-CHARS', 'Basic a-token-of-16-chars']) {
    const res = await fetch(url, { headers: { authorization } });
    expect([authorization, res.status]).toEqual([authorization, 401]);
    expect(await res.json()).toEqual({ error: 'UNAUTHORIZED', message: 'Missing or invalid metrics token' });
  }
});
