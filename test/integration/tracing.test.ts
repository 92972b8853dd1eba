/**
 * Traces from the API through the workflow to the activities: with OTEL_EXPORTER_OTLP_ENDPOINT set, one
 * registration through the API reaches a local OTLP/HTTP receiver as spans of one trace: the request's server span
 * (named after its route template), the Temporal client's update-with-start span, the workflow's own spans and an
 * activity's span; none carries the customer's name, e-mail or phone.
 */
import { Worker } from '@temporalio/worker';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { dataConverterFor } from '../../common/temporal';
import { tracingWorkerOptions } from '../../worker/tracing';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, register, waitForStatus } from '../support/journey';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { createTenant, http, type TenantSession } from '../support/tenant-client';

let receiver: OtlpReceiver;
let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  h = await startHarness('tracing', { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'onboarding-test' } });
  tenant = await createTenant(h);
});
afterAll(async () => {
  await h?.close();
  await receiver?.close();
});

const REGISTRATION_ROUTE = 'POST /api/v2.1/customer/individual/registration';

/** Waits until the spans of the trace that `root` names include one matching every pattern (batches arrive each second). */
async function traceWith(root: (span: ReceivedSpan) => boolean, patterns: RegExp[]): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const start = receiver.spans.find(root);
    const trace = start ? receiver.spans.filter((span) => span.traceId === start.traceId) : [];
    if (patterns.every((pattern) => trace.some((span) => pattern.test(span.name))) || Date.now() > deadline) return trace;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

it('one registration: the HTTP span, the client span, the workflow spans and an activity span share one trace, without personal data', async () => {
  const customer = await register(tenant, { firstName: 'Ottoline', lastName: 'Tracewell', phone: '+14155550188' });

  // The workflow's own run span ends with the workflow; its update and activity spans end as they do. Validators
  // are not traced (workflows/tracing-interceptors.ts says why).
  const expected = [/^UpdateWithStartWorkflow:register$/, /^HandleUpdate:register$/, /^StartActivity:createIndividualCustomer$/, /^RunActivity:createIndividualCustomer$/];
  const trace = await traceWith((span) => span.name === REGISTRATION_ROUTE, expected);
  const names = trace.map((span) => span.name);
  expect(names).toEqual(expect.arrayContaining([REGISTRATION_ROUTE, ...expected.map((pattern) => expect.stringMatching(pattern))]));
  const named = (name: string) => trace.find((span) => span.name === name)!;
  // The activity ran under the workflow's call to it, which ran under the update the API's client sent.
  expect(named('RunActivity:createIndividualCustomer').parentSpanId).toBe(named('StartActivity:createIndividualCustomer').spanId);
  expect(named('StartActivity:createIndividualCustomer').parentSpanId).toBe(named('HandleUpdate:register').spanId);
  // The HTTP span is the trace's root here and the client's span its child: the trace begins at the API.
  const server = trace.find((span) => span.name === REGISTRATION_ROUTE)!;
  expect(server.parentSpanId).toBeUndefined();
  expect(server.attributes).toEqual({ 'http.request.method': 'POST', 'http.route': '/api/v2.1/customer/individual/registration', 'http.response.status_code': 201 });
  expect(named('UpdateWithStartWorkflow:register').parentSpanId).toBe(server.spanId);
  expect(named('HandleUpdate:register').parentSpanId).toBe(named('UpdateWithStartWorkflow:register').spanId);
  expect(new Set(trace.map((span) => span.service))).toEqual(new Set(['onboarding-test-all']));

  // Nothing the customer gave travels in any exported span, of this trace or any other.
  const exported = receiver.bodies.join('\n');
  for (const personal of ['Ottoline', 'Tracewell', customer.email, '4155550188']) expect(exported).not.toContain(personal);
  expect(exported).toContain(customer.customerId); // ids do travel (workflow ids), which is what makes traces findable
});

it('names a request by its route template, never its concrete path, and an unknown path by none', async () => {
  const customer = await register(tenant);
  expect((await tenant.call('GET', `${customer.path}/onboarding`)).status).toBe(200);
  expect((await http(h.api.url, 'GET', '/no/such/path')).status).toBe(404);
  const deadline = Date.now() + 15_000;
  while (!receiver.spans.some((span) => span.name === 'GET (unmatched)') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  const serverSpans = receiver.spans.filter((span) => span.kind === 2); // SPAN_KIND_SERVER
  expect(serverSpans.map((span) => span.name)).toEqual(expect.arrayContaining(['GET /api/v2.1/customer/:customerId/onboarding', 'GET (unmatched)']));
  for (const span of serverSpans) {
    expect(span.name).not.toContain(customer.customerId);
    expect(Object.keys(span.attributes).sort()).toEqual(expect.arrayContaining(['http.request.method', 'http.response.status_code']));
  }
});

it('a traced onboarding replays from its history, after queries and a KYC check named with uuid4()', async () => {
  // Profile, consents and the onboarding reads answer through updates and queries; queries are not in the history,
  // so a span made for one would shift every later uuid4() on replay (temporalio/sdk-typescript#2023).
  const customer = await readyForKyc(h, tenant, { lastName: 'Review' });
  for (let i = 0; i < 3; i += 1) expect((await tenant.call('GET', `${customer.path}/onboarding`)).status).toBe(200);
  expect((await tenant.call('POST', `${customer.path}/verification`)).status).toBe(202);
  await waitForStatus(tenant, customer.path, 'MANUAL_REVIEW');

  const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customer.customerId));
  const history = await handle.fetchHistory();
  const traced = history.events!.some((event) => Object.keys(event.workflowExecutionStartedEventAttributes?.header?.fields ?? {}).includes('_tracer-data'));
  expect(traced).toBe(true);
  await expect(
    Worker.runReplayHistory(
      { workflowBundle: { codePath: h.infra.workflowBundlePath }, dataConverter: dataConverterFor(h.secrets), sinks: tracingWorkerOptions(undefined).sinks },
      history,
      handle.workflowId,
    ),
  ).resolves.toBeUndefined();
});
