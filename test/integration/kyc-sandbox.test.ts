/**
 * The KYC boundary end to end: the HTTP provider adapter against the sandbox vendor, whose signed callbacks land on
 * a tiny local receiver and are checked with the product's verifier.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { createHttpKycProvider, KycProviderFailure, type KycCheckRequest, type KycProvider } from '../../activities/kyc-provider';
import { newWebhookSecret, verifyKycWebhook } from '../../api/webhooks/kyc-signature';
import { startKycSandbox, type RunningKycSandbox } from '../../devstack/kyc-sandbox';
import { freePort } from '../support/ports';

interface Callback {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** A webhook target on a free port; `answer` picks the HTTP status for the nth callback it receives (from 0). */
async function startReceiver(answer: (n: number) => number = () => 200) {
  const callbacks: Callback[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      callbacks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
      res.writeHead(answer(callbacks.length - 1)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const about = (reference: string) => callbacks.filter((c) => (JSON.parse(c.body) as { reference: string }).reference === reference);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2.1/webhooks/kyc/sandbox`,
    about,
    async waitFor(reference: string, count = 1, timeoutMs = 3000): Promise<Callback[]> {
      const deadline = Date.now() + timeoutMs;
      while (about(reference).length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} callback(s) for ${reference}, got ${about(reference).length}`);
        await sleep(10);
      }
      return about(reference);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const SLOW_DELAY_MS = 300;
const secret = newWebhookSecret();
let receiver: Receiver;
let sandbox: RunningKycSandbox;
let provider: KycProvider;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startKycSandbox({ port: 0, webhookUrl: receiver.url, webhookSecret: secret, slowDelayMs: SLOW_DELAY_MS, flakyFailures: 2 });
  provider = createHttpKycProvider({ name: 'sandbox', baseUrl: sandbox.url, timeoutMs: 2000 });
});
afterAll(async () => {
  await sandbox?.stop();
  await receiver?.close();
});

function person(lastName: string): KycCheckRequest {
  return { reference: `ref_${randomUUID()}`, firstName: 'Ada', lastName, dateOfBirth: '1990-12-10', country: 'GB' };
}

/** The one callback for a reference, verified the way the product's webhook route will verify it. */
async function verifiedCallback(reference: string) {
  const [callback] = await receiver.waitFor(reference);
  return { ...callback, payload: verifyKycWebhook(secret, callback.body, callback.headers as Record<string, string>) };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}

it('listens on the port the OS picked when asked for port 0', () => {
  expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(sandbox.url).not.toMatch(/:0$/);
});

describe('outcomes by last name', () => {
  it('approves anyone else, with a prompt callback whose signature verifies', async () => {
    const request = person('Lovelace');
    const submittedAt = Date.now();
    const { checkId } = await provider.submit(request);
    const callback = await verifiedCallback(request.reference);
    expect(callback.payload).toEqual({ checkId, reference: request.reference, status: 'APPROVED' });
    expect(callback.receivedAt - submittedAt).toBeLessThan(1000);
    expect(await provider.fetch(checkId)).toEqual({ status: 'APPROVED' });
  });

  it('rejects "Reject" (any letter case), with a reason', async () => {
    const request = person('rEJECT');
    const { checkId } = await provider.submit(request);
    const { payload } = await verifiedCallback(request.reference);
    expect(payload).toEqual({ checkId, reference: request.reference, status: 'REJECTED', reason: 'IDENTITY_NOT_VERIFIED' });
    expect(await provider.fetch(checkId)).toEqual({ status: 'REJECTED', reason: 'IDENTITY_NOT_VERIFIED' });
  });

  it('sends "Review" to manual review', async () => {
    const request = person('Review');
    const { checkId } = await provider.submit(request);
    const { payload } = await verifiedCallback(request.reference);
    expect(payload).toMatchObject({ checkId, status: 'REVIEW' });
    expect(await provider.fetch(checkId)).toMatchObject({ status: 'REVIEW' });
  });

  it('decides "Slow" promptly but calls back only after slowDelayMs', async () => {
    const request = person('Slow');
    const submittedAt = Date.now();
    const { checkId } = await provider.submit(request);
    await sleep(SLOW_DELAY_MS / 2);
    expect(await provider.fetch(checkId)).toEqual({ status: 'APPROVED' });
    expect(receiver.about(request.reference)).toHaveLength(0);
    const { payload, receivedAt } = await verifiedCallback(request.reference);
    expect(payload).toMatchObject({ checkId, status: 'APPROVED' });
    expect(receivedAt - submittedAt).toBeGreaterThanOrEqual(SLOW_DELAY_MS);
  });

  it('refuses "Flaky" submits with retryable errors until flakyFailures are spent, then opens one check', async () => {
    const request = person('Flaky');
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failureOf(provider.submit(request));
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect(error.message).toMatch(/answered 503/);
      expect(error.message).not.toMatch(/Ada|Flaky|1990/);
    }
    const { checkId } = await provider.submit(request);
    expect(await provider.submit(request)).toEqual({ checkId });
    const { payload } = await verifiedCallback(request.reference);
    expect(payload).toMatchObject({ checkId, status: 'APPROVED' });
  });

  it('keeps "Silent" PENDING and never calls back', async () => {
    const request = person('Silent');
    const { checkId } = await provider.submit(request);
    await sleep(300); // several times the sandbox's decision delay
    expect(receiver.about(request.reference)).toHaveLength(0);
    expect(await provider.fetch(checkId)).toEqual({ status: 'PENDING' });
  });
});

describe('idempotent submit', () => {
  it('answers a resubmitted reference with the same check and sends one callback', async () => {
    const request = person('Hopper');
    const [first, second] = await Promise.all([provider.submit(request), provider.submit(request)]);
    expect(second).toEqual(first);
    expect(await provider.submit(request)).toEqual(first);
    await receiver.waitFor(request.reference);
    await sleep(100);
    expect(receiver.about(request.reference)).toHaveLength(1);
  });

  it('refuses, non-retryably, a known reference with other person data', async () => {
    const request = person('Hopper');
    await provider.submit(request);
    const error = await failureOf(provider.submit({ ...request, firstName: 'Grace' }));
    expect(error).toMatchObject({ type: KycProviderFailure.Rejected, nonRetryable: true });
    expect(error.message).toMatch(/409 REFERENCE_CONFLICT/);
  });
});

describe('error classification for Temporal retries', () => {
  it('makes a refused request (4xx) non-retryable without quoting personal data', async () => {
    const error = await failureOf(provider.submit({ ...person('Lovelace'), dateOfBirth: '10/12/1990' }));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: KycProviderFailure.Rejected, nonRetryable: true });
    expect(error.message).toMatch(/400 VALIDATION_ERROR/);
    expect(error.message).not.toMatch(/Ada|Lovelace|1990/);
  });

  it('makes an unknown check (404) non-retryable', async () => {
    const error = await failureOf(provider.fetch('chk_unknown'));
    expect(error).toMatchObject({ type: KycProviderFailure.Rejected, nonRetryable: true });
  });

  it('makes an unreachable provider a retryable plain error', async () => {
    const closedPort = await freePort();
    const down = createHttpKycProvider({ name: 'down', baseUrl: `http://127.0.0.1:${closedPort}`, timeoutMs: 1000 });
    const error = await failureOf(down.submit(person('Lovelace')));
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect(error.message).toMatch(/failed on the network \(ECONNREFUSED\)/);
  });

  it('makes a provider that does not answer in time a retryable plain error', async () => {
    const hanging = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const slow = createHttpKycProvider({ name: 'hanging', baseUrl: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`, timeoutMs: 100 });
      const error = await failureOf(slow.fetch('chk_1'));
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect(error.message).toMatch(/timed out after 100 ms/);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });
});

describe('the sandbox as a vendor', () => {
  async function submitRaw(url: string, body: unknown) {
    const response = await fetch(`${url}/v1/checks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('answers bad input with a 400 JSON error naming the fields', async () => {
    const { status, body } = await submitRaw(sandbox.url, { reference: 'ref_bad', firstName: '', country: 'gb' });
    expect(status).toBe(400);
    expect(body.error).toBe('VALIDATION_ERROR');
    expect((body.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(['country', 'firstName', 'lastName']);
  });

  it('retries a callback the receiver answers with 5xx, under the same webhook-id, to the check\'s own callbackUrl', async () => {
    const flakyReceiver = await startReceiver((n) => (n === 0 ? 503 : 204));
    const own = await startKycSandbox({ port: 0, webhookUrl: receiver.url, webhookSecret: secret, callbackRetryDelaysMs: [50, 50] });
    try {
      const reference = `ref_${randomUUID()}`;
      const submitted = await submitRaw(own.url, { reference, firstName: 'Ada', lastName: 'Lovelace', callbackUrl: flakyReceiver.url });
      expect(submitted).toEqual({ status: 202, body: { checkId: expect.stringMatching(/^chk_/), status: 'PENDING' } });
      const [first, retry] = await flakyReceiver.waitFor(reference, 2);
      expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(verifyKycWebhook(secret, retry.body, retry.headers as Record<string, string>)).toMatchObject({ reference, status: 'APPROVED' });
      expect(receiver.about(reference)).toHaveLength(0);
    } finally {
      await own.stop();
      await flakyReceiver.close();
    }
  });

  it('gives up on a receiver that keeps failing after the configured retries', async () => {
    const brokenReceiver = await startReceiver(() => 500);
    const own = await startKycSandbox({ port: 0, webhookUrl: brokenReceiver.url, webhookSecret: secret, callbackRetryDelaysMs: [20, 20] });
    try {
      const reference = `ref_${randomUUID()}`;
      await createHttpKycProvider({ name: 'own', baseUrl: own.url, timeoutMs: 1000 }).submit({ reference, firstName: 'Ada', lastName: 'Lovelace' });
      await brokenReceiver.waitFor(reference, 3);
      await sleep(200);
      expect(brokenReceiver.about(reference)).toHaveLength(3);
    } finally {
      await own.stop();
      await brokenReceiver.close();
    }
  });

  it('drops a callback still scheduled when it stops', async () => {
    const quietReceiver = await startReceiver();
    const own = await startKycSandbox({ port: 0, webhookUrl: quietReceiver.url, webhookSecret: secret, slowDelayMs: 150 });
    try {
      const reference = `ref_${randomUUID()}`;
      await createHttpKycProvider({ name: 'own', baseUrl: own.url, timeoutMs: 1000 }).submit({ reference, firstName: 'Ada', lastName: 'Slow' });
      await own.stop();
      await sleep(300);
      expect(quietReceiver.about(reference)).toHaveLength(0);
    } finally {
      await quietReceiver.close();
    }
  });

  it('keeps its checks and owed callbacks in its state file, and delivers them after a restart', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'kyc-sandbox-')), 'state.json');
    const options = { port: 0, webhookUrl: receiver.url, webhookSecret: secret, slowDelayMs: 400, stateFile };
    const before = await startKycSandbox(options);
    const request = person('Slow');
    const { checkId } = await createHttpKycProvider({ name: 'before', baseUrl: before.url, timeoutMs: 1000 }).submit(request);
    await before.stop();
    const stored = readFileSync(stateFile, 'utf8');
    expect(stored).toContain(checkId);
    expect(stored).not.toMatch(/Ada|Slow|1990/); // a digest of the person, not the person

    const after = await startKycSandbox(options);
    try {
      const resumed = createHttpKycProvider({ name: 'after', baseUrl: after.url, timeoutMs: 1000 });
      expect(await resumed.submit(request)).toEqual({ checkId }); // the same check, not a second one
      const { payload } = await verifiedCallback(request.reference);
      expect(payload).toEqual({ checkId, reference: request.reference, status: 'APPROVED' });
      expect(await resumed.fetch(checkId)).toEqual({ status: 'APPROVED' });
      await sleep(200);
      expect(receiver.about(request.reference)).toHaveLength(1);
    } finally {
      await after.stop();
    }
  });
});
