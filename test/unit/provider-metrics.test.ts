/**
 * The vendor adapters' calls on /metrics: each call is timed under its operation and counted in the outcome class
 * Temporal acts on. The vendor is a local HTTP server answering what the test scripts (no module mocking).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpKybProvider } from '../../activities/kyb-provider';
import { createHttpKycProvider } from '../../activities/kyc-provider';
import { providerCallSeconds } from '../../activities/metrics';
import { metricsRegistry } from '../../common/metrics/registry';

let server: Server;
let baseUrl: string;
/** The answers the vendor gives, in order: [status, body]. */
let script: Array<[number, unknown]> = [];

beforeAll(async () => {
  server = createServer((_req, res) => {
    const [status, body] = script.shift() ?? [500, {}];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => providerCallSeconds.reset());

/** How many calls were counted under these labels. */
async function counted(labels: Record<string, string>): Promise<number> {
  const { values } = await providerCallSeconds.get();
  return values
    .filter((v) => v.metricName === 'onboarding_provider_call_duration_seconds_count')
    .filter((v) => Object.entries(labels).every(([k, value]) => (v.labels as Record<string, unknown>)[k] === value))
    .reduce((sum, v) => sum + v.value, 0);
}

const person = { reference: 'onboarding/t/c/kyc', firstName: 'Ada', lastName: 'Lovelace' };

it('counts a check opened as success, a vendor that is down as retryable and a refusal as failed', async () => {
  const kyc = createHttpKycProvider({ name: 'acme', baseUrl, timeoutMs: 2_000 });
  script = [[201, { checkId: 'chk_1' }], [503, {}], [422, { error: 'invalid_reference' }]];
  await expect(kyc.submit(person)).resolves.toEqual({ checkId: 'chk_1' });
  await expect(kyc.fetch('chk_1')).rejects.toThrow('answered 503');
  await expect(kyc.fetch('chk_1')).rejects.toMatchObject({ nonRetryable: true, type: 'KycProviderRejected' });

  expect(await counted({ kind: 'kyc', provider: 'acme', operation: 'submit_check', outcome: 'success' })).toBe(1);
  expect(await counted({ kind: 'kyc', provider: 'acme', operation: 'fetch_check', outcome: 'retryable' })).toBe(1);
  expect(await counted({ kind: 'kyc', provider: 'acme', operation: 'fetch_check', outcome: 'failed' })).toBe(1);
});

it('counts an unreadable answer as failed, an unreachable vendor as retryable, and a registry 404 (no such company) as success', async () => {
  const kyb = createHttpKybProvider({ name: 'registry', baseUrl, timeoutMs: 2_000 });
  script = [[200, { unexpected: true }], [404, {}]];
  await expect(kyb.submit({ reference: 'r', businessName: 'Acme Ltd', registrationNumber: '01234567', country: 'GB' })).rejects.toMatchObject({ nonRetryable: true });
  await expect(kyb.lookUpCompany({ registrationNumber: '01234567', country: 'GB', name: 'Acme Ltd' })).resolves.toMatchObject({ found: false });
  const unreachable = createHttpKybProvider({ name: 'registry', baseUrl: 'http://127.0.0.1:1', timeoutMs: 500 });
  await expect(unreachable.fetch('chk_2')).rejects.toThrow('failed on the network');

  expect(await counted({ kind: 'kyb', operation: 'submit_check', outcome: 'failed' })).toBe(1);
  expect(await counted({ kind: 'kyb', operation: 'company_lookup', outcome: 'success' })).toBe(1);
  expect(await counted({ kind: 'kyb', operation: 'fetch_check', outcome: 'retryable' })).toBe(1);
  // The exposition carries the operation's name, never the path with its ids, nor the company's data.
  const text = await metricsRegistry.metrics();
  for (const secret of ['chk_2', '01234567', 'Acme']) expect(text).not.toContain(secret);
});
