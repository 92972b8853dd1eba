/**
 * /metrics after an individual's lifecycle, read over HTTP as Prometheus would, from `npm start`'s composition (API
 * and worker in one process, so the Temporal SDK's Runtime is this process's own) and from `npm run worker` alone.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, waitForStatus } from '../support/journey';
import { startStackProcess, startWorkerProcess, type RoleProcess } from '../support/role-processes';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

const TOKEN = `metrics-${randomBytes(12).toString('hex')}`;
const auth = { authorization: `Bearer ${TOKEN}` };

let h: Harness;
let stack: RoleProcess;
let viaStack: Harness;

beforeAll(async () => {
  // The harness brings the database, Temporal and mail; the process under test runs its own API and worker.
  h = await startHarness('metrics', { withWorker: false });
  stack = await startStackProcess(h, { METRICS_TOKEN: TOKEN });
  viaStack = { ...h, api: { ...h.api, url: stack.url } };
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await h?.close();
});

type Labels = Record<string, string>;

/** The samples of one metric name in Prometheus text exposition, with their labels. */
function samples(text: string, name: string): Array<{ labels: Labels; value: number }> {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .map((line) => {
      const match = /^[^{\s]+(?:\{(.*)\})?\s+(\S+)/.exec(line)!;
      const labels = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]));
      return { labels, value: Number(match[2]) };
    });
}

/** The sum over the samples whose labels include `labels` (undefined: no such sample). */
function figure(text: string, name: string, labels: Labels = {}): number | undefined {
  const matching = samples(text, name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return matching.length === 0 ? undefined : matching.reduce((sum, s) => sum + s.value, 0);
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(url, { headers: auth });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** Scrapes until `ready` holds (figures recorded after the answer a test waited for, exporters that publish late). */
async function scrapeUntil(url: string, ready: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await scrape(url);
    if (ready(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** What the delivery code (another module) writes for one subscription: the metrics read these tables, not that code. */
async function seedWebhookDeliveries(tenantId: string): Promise<void> {
  const subscriptionId = `whs_${randomBytes(8).toString('hex')}`;
  await h.db('webhook_subscriptions').insert({ id: subscriptionId, tenant_id: tenantId, url: 'https://receiver.example/hooks', event_types: ['customer.status_changed'], secret_sealed: 'sealed' });
  await h.db('webhook_subscriptions').insert({
    id: `whs_${randomBytes(8).toString('hex')}`, tenant_id: tenantId, url: 'https://gone.example/hooks', event_types: ['customer.status_changed'],
    secret_sealed: 'sealed', enabled: false, disabled_reason: 'GONE', disabled_at: new Date(),
  });
  const events = await h.db('webhook_events')
    .insert([1, 2, 3].map((n) => ({ id: `evt_${randomBytes(8).toString('hex')}`, tenant_id: tenantId, type: 'customer.status_changed', version: 1, subject_id: `cus_${n}`, data: {} })))
    .returning('seq');
  const [succeeded, failed] = await h.db('webhook_deliveries')
    .insert([
      { tenant_id: tenantId, subscription_id: subscriptionId, event_seq: events[0].seq, status: 'SUCCEEDED', attempts: 2, completed_at: new Date() },
      { tenant_id: tenantId, subscription_id: subscriptionId, event_seq: events[1].seq, status: 'FAILED', attempts: 1, completed_at: new Date() },
      { tenant_id: tenantId, subscription_id: subscriptionId, event_seq: events[2].seq, status: 'PENDING', created_at: new Date(Date.now() - 120_000) },
    ])
    .returning('id');
  await h.db('webhook_delivery_attempts').insert([
    { tenant_id: tenantId, delivery_id: succeeded.id, status_code: 503, latency_ms: 100 },
    { tenant_id: tenantId, delivery_id: succeeded.id, status_code: 200, latency_ms: 300 },
    { tenant_id: tenantId, delivery_id: failed.id, status_code: null, latency_ms: 5000, error: 'connection refused' },
  ]);
}

it('answers only Prometheus holding METRICS_TOKEN, with the error body every route uses', async () => {
  const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer not-the-token' }, { authorization: TOKEN }];
  for (const headers of attempts) {
    const refused = await http(stack.url, 'GET', '/metrics', { headers });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'UNAUTHORIZED', message: 'Missing or invalid metrics token' });
  }
});

describe('after an individual goes from registration to ACTIVE', () => {
  let tenant: TenantSession;
  let customer: { customerId: string; email: string; path: string };
  let text: string;

  beforeAll(async () => {
    tenant = await createTenant(viaStack);
    customer = await readyForKyc(viaStack, tenant);
    expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
    await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
    expect((await tenant.call('POST', `${customer.path}/activation`)).body.status).toBe('ACTIVE');
    expect((await tenant.call('GET', `/api/v2.1/customer/${customer.customerId}/no-such-thing`)).status).toBe(404);
    await seedWebhookDeliveries(tenant.tenantId);
    text = await scrapeUntil(
      `${stack.url}/metrics`,
      (t) => figure(t, 'onboarding_step_duration_seconds_count', { to: 'ACTIVE' }) !== undefined && figure(t, 'temporal_workflow_task_execution_latency_count') !== undefined,
    );
  }, 120_000);

  it('counts requests by route template, method and status class, never by raw path, tenant or person', () => {
    const count = (route: string, method: string, statusClass: string) =>
      figure(text, 'onboarding_http_request_duration_seconds_count', { route, method, status_class: statusClass });
    expect(count('/api/v2.1/customer/individual/registration', 'POST', '2xx')).toBe(1);
    expect(count('/api/v2.1/customer/:customerId/verify-email', 'POST', '2xx')).toBe(1);
    expect(count('/api/v2.1/customer/:customerId/consents/:type', 'POST', '2xx')).toBe(3);
    expect(count('/api/v2.1/customer/:customerId/activation', 'POST', '2xx')).toBe(1);
    expect(count('/api/v2.1/customer/:customerId/onboarding', 'GET', '2xx')).toBeGreaterThanOrEqual(1);
    expect(count('unmatched', 'GET', '4xx')).toBeGreaterThanOrEqual(1);
    expect(figure(text, 'onboarding_http_request_duration_seconds_bucket', { route: '/api/v2.1/customer/individual/registration', le: '+Inf' })).toBe(1);
    for (const secret of [customer.customerId, tenant.tenantId, customer.email, TOKEN]) expect(text).not.toContain(secret);
  });

  it('reports onboardings by type and status, read from PostgreSQL at scrape time', () => {
    expect(figure(text, 'onboarding_customers', { type: 'INDIVIDUAL', status: 'ACTIVE' })).toBe(1);
    expect(figure(text, 'onboarding_customers', { status: 'PENDING_KYC' })).toBeUndefined();
    expect(figure(text, 'onboarding_customers_oldest_update_seconds', { type: 'INDIVIDUAL', status: 'ACTIVE' })).toBeGreaterThanOrEqual(0);
    expect(figure(text, 'onboarding_metrics_source_up', { source: 'postgres' })).toBe(1);
  });

  it('observes the time spent in each step the customer went through, labelled from and to', async () => {
    const history = (await tenant.call('GET', `${customer.path}/onboarding`)).body.history.map((step: { status: string }) => step.status);
    expect(history).toEqual(['PENDING_EMAIL_VERIFICATION', 'PENDING_PROFILE', 'PENDING_CONSENTS', 'PENDING_KYC', 'KYC_IN_PROGRESS', 'KYC_APPROVED', 'ACTIVE']);
    for (let i = 1; i < history.length; i++) {
      expect([history[i - 1], history[i], figure(text, 'onboarding_step_duration_seconds_count', { from: history[i - 1], to: history[i] })]).toEqual([
        history[i - 1],
        history[i],
        1,
      ]);
    }
    expect(figure(text, 'onboarding_step_duration_seconds_sum')).toBeGreaterThan(0);
  });

  it('classifies the KYC vendor calls by operation and outcome, with their latency', () => {
    const submitted = { kind: 'kyc', provider: 'sandbox', operation: 'submit_check', outcome: 'success' };
    expect(figure(text, 'onboarding_provider_call_duration_seconds_count', submitted)).toBe(1);
    expect(figure(text, 'onboarding_provider_call_duration_seconds_sum', submitted)).toBeGreaterThan(0);
    expect(figure(text, 'onboarding_provider_call_duration_seconds_count', { outcome: 'failed' })).toBeUndefined();
  });

  it("serves the Temporal SDK's own worker metrics from the same endpoint", () => {
    const queue = { task_queue: h.config.TEMPORAL_TASK_QUEUE };
    expect(figure(text, 'temporal_worker_task_slots_available', { ...queue, worker_type: 'WorkflowWorker' })).toBeGreaterThan(0);
    expect(figure(text, 'temporal_workflow_task_execution_latency_count', queue)).toBeGreaterThan(0);
    expect(figure(text, 'onboarding_metrics_source_up', { source: 'temporal_sdk' })).toBe(1);
    expect(figure(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('reports webhook subscriptions and delivery outcomes from the delivery tables', () => {
    expect(figure(text, 'onboarding_webhook_subscriptions', { state: 'enabled' })).toBe(1);
    expect(figure(text, 'onboarding_webhook_subscriptions', { state: 'disabled_gone' })).toBe(1);
    expect(figure(text, 'onboarding_webhook_deliveries_pending')).toBe(1);
    expect(figure(text, 'onboarding_webhook_deliveries_due')).toBe(1);
    expect(figure(text, 'onboarding_webhook_oldest_pending_seconds')).toBeGreaterThanOrEqual(119);
    expect(figure(text, 'onboarding_webhook_deliveries_completed_recent', { status: 'SUCCEEDED' })).toBe(1);
    expect(figure(text, 'onboarding_webhook_deliveries_completed_recent', { status: 'FAILED' })).toBe(1);
    expect(figure(text, 'onboarding_webhook_attempts_recent', { result: '2xx' })).toBe(1);
    expect(figure(text, 'onboarding_webhook_attempts_recent', { result: '5xx' })).toBe(1);
    expect(figure(text, 'onboarding_webhook_attempts_recent', { result: 'error' })).toBe(1);
    expect(figure(text, 'onboarding_webhook_attempt_latency_recent_seconds', { quantile: '0.5' })).toBeCloseTo(0.3, 5);
  });
});

describe('deploy/', () => {
  it("the Grafana dashboard queries only figures this /metrics serves (bar failure counters no failure has created yet)", async () => {
    const dashboard = JSON.parse(readFileSync(join(__dirname, '..', '..', 'deploy', 'grafana', 'dashboards', 'onboarding.json'), 'utf8'));
    const expressions: string[] = dashboard.panels.flatMap((panel: { targets?: Array<{ expr: string }> }) => (panel.targets ?? []).map((t) => t.expr));
    const names = new Set(expressions.flatMap((expr) => [...expr.matchAll(/\b(?:onboarding|temporal)_[a-z_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''))));
    const text = await scrape(`${stack.url}/metrics`);
    const served = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map(([, name]) => name));
    const onlyAfterAFailure = ['temporal_activity_execution_failed'];
    expect([...names].filter((name) => !served.has(name) && !onlyAfterAFailure.includes(name))).toEqual([]);
    expect(names.size).toBeGreaterThan(15);
  });
});

describe('npm run worker alone', () => {
  let worker: RoleProcess;
  const queue = `metrics-worker-alone-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    worker = await startWorkerProcess(h, { METRICS_TOKEN: TOKEN, TEMPORAL_TASK_QUEUE: queue });
  }, 240_000);
  afterAll(() => worker?.stop());

  it("exposes its process and Temporal SDK metrics on WORKER_METRICS_PORT, behind the same token, without the API's figures", async () => {
    expect((await fetch(worker.url)).status).toBe(401);
    const text = await scrapeUntil(worker.url, (t) => figure(t, 'temporal_worker_task_slots_available', { task_queue: queue }) !== undefined);
    expect(figure(text, 'temporal_worker_task_slots_available', { task_queue: queue, worker_type: 'ActivityWorker' })).toBeGreaterThan(0);
    expect(figure(text, 'onboarding_metrics_source_up', { source: 'temporal_sdk' })).toBe(1);
    expect(figure(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // Read from PostgreSQL by the API only, so a fleet of workers does not repeat them.
    expect(text).not.toContain('onboarding_customers');
  });
});
