/**
 * The KYB boundary end to end: the HTTP provider adapter against the sandbox vendor, whose signed callbacks land
 * on a tiny local receiver and are checked with the product's shared Standard Webhooks verifier.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { createHttpKybProvider, KybProviderFailure, type KybCheckRequest, type KybProvider } from '../../activities/kyb-provider';
import { kybWebhookPayloadSchema } from '../../api/kyb/schemas';
import { newWebhookSecret, verifySignedWebhook } from '../../api/webhooks/signature';
import { startKybSandbox, type RunningKybSandbox } from '../../devstack/kyb-sandbox';
import { freePort } from '../support/ports';

interface Callback {
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

const callbacks: Callback[] = [];
let receiver: Server;
let receiverUrl: string;
const SLOW_DELAY_MS = 300;
const secret = newWebhookSecret();
let sandbox: RunningKybSandbox;
let provider: KybProvider;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      callbacks.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v2.1/webhooks/kyb/sandbox`;
  sandbox = await startKybSandbox({ port: 0, webhookUrl: receiverUrl, webhookSecret: secret, slowDelayMs: SLOW_DELAY_MS, flakyFailures: 2 });
  provider = createHttpKybProvider({ name: 'sandbox', baseUrl: sandbox.url, timeoutMs: 2000 });
});
afterAll(async () => {
  await sandbox?.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

function business(businessName: string): KybCheckRequest {
  return { reference: `kyb_${randomUUID().replace(/-/g, '')}`, businessName, registrationNumber: '09876543', country: 'GB' };
}

const about = (reference: string) => callbacks.filter((c) => (JSON.parse(c.body) as { reference: string }).reference === reference);

/** The one callback for a reference, verified the way the KYB webhook route verifies it. */
async function verifiedCallback(reference: string) {
  for (const deadline = Date.now() + 3000; about(reference).length === 0; await sleep(10)) {
    if (Date.now() > deadline) throw new Error(`no callback for ${reference}`);
  }
  const [callback] = about(reference);
  return { ...callback, payload: verifySignedWebhook(secret, callback.body, callback.headers, kybWebhookPayloadSchema) };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}

describe('check outcomes by magic words in the business name', () => {
  it('approves any other business, with a prompt callback whose signature verifies', async () => {
    const request = business('Acme Trading Ltd');
    const { checkId } = await provider.submit(request);
    const { payload } = await verifiedCallback(request.reference);
    expect(payload).toEqual({ checkId, reference: request.reference, status: 'APPROVED' });
    expect(await provider.fetch(checkId)).toEqual({ status: 'APPROVED' });
  });

  it('rejects a name containing "Reject" (any letter case), with a reason', async () => {
    const request = business('Totally rEJECTed Holdings');
    const { checkId } = await provider.submit(request);
    const { payload } = await verifiedCallback(request.reference);
    expect(payload).toEqual({ checkId, reference: request.reference, status: 'REJECTED', reason: 'BUSINESS_NOT_VERIFIED' });
    expect(await provider.fetch(checkId)).toEqual({ status: 'REJECTED', reason: 'BUSINESS_NOT_VERIFIED' });
  });

  it('asks for a manual review for "Review"', async () => {
    const request = business('Review Partners LLP');
    const { checkId } = await provider.submit(request);
    const { payload } = await verifiedCallback(request.reference);
    expect(payload).toEqual({ checkId, reference: request.reference, status: 'REVIEW', reason: 'ADVERSE_MEDIA_MATCH' });
  });

  it('decides "Slow" promptly but calls back only after slowDelayMs', async () => {
    const request = business('Slow Lane Logistics');
    const submittedAt = Date.now();
    const { checkId } = await provider.submit(request);
    await sleep(SLOW_DELAY_MS / 2);
    expect(await provider.fetch(checkId)).toEqual({ status: 'APPROVED' });
    expect(about(request.reference)).toHaveLength(0);
    const { payload, receivedAt } = await verifiedCallback(request.reference);
    expect(payload).toMatchObject({ checkId, status: 'APPROVED' });
    expect(receivedAt - submittedAt).toBeGreaterThanOrEqual(SLOW_DELAY_MS);
  });

  it('keeps "Silent" PENDING and never calls back', async () => {
    const request = business('Silent Partner Ltd');
    const { checkId } = await provider.submit(request);
    await sleep(300);
    expect(about(request.reference)).toHaveLength(0);
    expect(await provider.fetch(checkId)).toEqual({ status: 'PENDING' });
  });

  it('answers "Flaky" submits with retryable errors (503) until flakyFailures are spent, then opens one check', async () => {
    const request = business('Flaky Widgets Ltd');
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failureOf(provider.submit(request));
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect(error.message).toMatch(/answered 503/);
      expect(error.message).not.toMatch(/Flaky|Widgets|09876543/);
    }
    const { checkId } = await provider.submit(request);
    expect(await provider.submit(request)).toEqual({ checkId });
    expect((await verifiedCallback(request.reference)).payload).toMatchObject({ checkId, status: 'APPROVED' });
  });
});

describe('registry lookup', () => {
  const lookUp = (name: string, registrationNumber = '01234567') => provider.lookUpCompany({ name, registrationNumber, country: 'GB' });

  it('answers the registered name as registries print it, ACTIVE, with officers derived from the number', async () => {
    const found = await lookUp('Acme Trading Ltd');
    expect(found).toEqual({
      found: true,
      registeredName: 'ACME TRADING LTD',
      registrationStatus: 'ACTIVE',
      officers: [
        { name: expect.any(String), role: 'DIRECTOR' },
        { name: expect.any(String), role: 'SECRETARY' },
      ],
    });
    expect(await lookUp('Acme Trading Ltd')).toEqual(found);
  });

  it('registers a "Mismatch" company under another name and a "Dissolved" one as DISSOLVED', async () => {
    expect(await lookUp('Mismatch Foods Ltd', '55501234')).toMatchObject({ found: true, registeredName: 'NORTHWIND 55501234 HOLDINGS LIMITED', registrationStatus: 'ACTIVE' });
    expect(await lookUp('Dissolved Ventures Ltd')).toMatchObject({ found: true, registeredName: 'DISSOLVED VENTURES LTD', registrationStatus: 'DISSOLVED' });
  });

  it('reads the registry\'s 404 for an "Unregistered" company as an answer: not found', async () => {
    expect(await lookUp('Unregistered Traders')).toEqual({ found: false, officers: [] });
  });

  it('answers "Flaky" lookups with retryable 503s first, then the record', async () => {
    const number = `F${Date.now()}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failureOf(lookUp('Flaky Registry Ltd', number));
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect(error.message).toMatch(/answered 503/);
      expect(error.message).not.toMatch(/Flaky|Registry Ltd|name=/);
    }
    expect(await lookUp('Flaky Registry Ltd', number)).toMatchObject({ found: true, registrationStatus: 'ACTIVE' });
  });
});

describe('error classification for Temporal retries', () => {
  it('makes a refused submit (4xx) non-retryable with a stable type, without quoting the company', async () => {
    const error = await failureOf(provider.submit({ ...business('Acme Trading Ltd'), country: 'GBR' }));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: KybProviderFailure.Rejected, nonRetryable: true });
    expect(error.message).toMatch(/400 VALIDATION_ERROR/);
    expect(error.message).not.toMatch(/Acme|09876543/);
  });

  it('refuses, non-retryably, a known reference with other company data', async () => {
    const request = business('Acme Trading Ltd');
    await provider.submit(request);
    const error = await failureOf(provider.submit({ ...request, businessName: 'Other Name Ltd' }));
    expect(error).toMatchObject({ type: KybProviderFailure.Rejected, nonRetryable: true });
    expect(error.message).toMatch(/409 REFERENCE_CONFLICT/);
  });

  it('makes an unknown check (404) non-retryable', async () => {
    expect(await failureOf(provider.fetch('kyb_chk_unknown'))).toMatchObject({ type: KybProviderFailure.Rejected, nonRetryable: true });
  });

  it('makes an unreachable provider a retryable plain error', async () => {
    const down = createHttpKybProvider({ name: 'down', baseUrl: `http://127.0.0.1:${await freePort()}`, timeoutMs: 1000 });
    const error = await failureOf(down.lookUpCompany({ name: 'Acme', registrationNumber: '1', country: 'GB' }));
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect(error.message).toMatch(/KYB provider down: GET \/v1\/registry\/companies\/GB\/1 failed on the network \(ECONNREFUSED\)/);
  });
});

describe('the sandbox as a vendor', () => {
  it('keeps its checks and owed callbacks in its state file, without the company\'s data, and delivers them after a restart', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'kyb-sandbox-')), 'state.json');
    const options = { port: 0, webhookUrl: receiverUrl, webhookSecret: secret, slowDelayMs: 400, stateFile };
    const before = await startKybSandbox(options);
    const request = business('Slow Restart Ltd');
    const { checkId } = await createHttpKybProvider({ name: 'before', baseUrl: before.url, timeoutMs: 1000 }).submit(request);
    await before.stop();
    const stored = readFileSync(stateFile, 'utf8');
    expect(stored).toContain(checkId);
    expect(stored).not.toMatch(/Restart|09876543/);

    const after = await startKybSandbox(options);
    try {
      const resumed = createHttpKybProvider({ name: 'after', baseUrl: after.url, timeoutMs: 1000 });
      expect(await resumed.submit(request)).toEqual({ checkId });
      const { payload } = await verifiedCallback(request.reference);
      expect(payload).toEqual({ checkId, reference: request.reference, status: 'APPROVED' });
      await sleep(200);
      expect(about(request.reference)).toHaveLength(1);
    } finally {
      await after.stop();
    }
  });

  it('answers a lookup without a name, or with a malformed country, 400 naming the field', async () => {
    const response = await fetch(`${sandbox.url}/v1/registry/companies/gbr/123`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; details: Array<{ field: string }> };
    expect(body.error).toBe('VALIDATION_ERROR');
    expect(body.details.map((d) => d.field).sort()).toEqual(['country', 'name']);
  });
});
