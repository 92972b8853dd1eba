/**
 * The KYC boundary end to end: the HTTP provider adapter against the sandbox vendor, whose signed callbacks land on
 * a tiny local receiver and are checked with the product's verifier. What the KYB sandbox shares with it (the
 * magic-word outcomes, the state file) is tested by the same cases, from test/support/vendor-sandbox.ts.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { createHttpKycProvider, KycProviderFailure, type KycCheckRequest } from '../../activities/kyc-provider';
import { verifyKycWebhook } from '../../api/webhooks/kyc-signature';
import { startKycSandbox } from '../../devstack/kyc-sandbox';
import { freePort } from '../support/ports';
import { failureOf, itDecidesByMagicWords, itResumesFromItsStateFile, startCallbackReceiver, useVendorSandbox } from '../support/vendor-sandbox';

const WEBHOOK_PATH = '/api/v2.1/webhooks/kyc/sandbox';
const vendor = useVendorSandbox({
  start: startKycSandbox,
  provider: (name, baseUrl) => createHttpKycProvider({ name, baseUrl, timeoutMs: 2000 }),
  webhookPath: WEBHOOK_PATH,
  verify: verifyKycWebhook,
  // Long enough that "prompt" (less than this) holds on a loaded machine; "Slow" waits it out.
  slowDelayMs: 2000,
});

function person(lastName = 'Lovelace'): KycCheckRequest {
  return { reference: `ref_${randomUUID()}`, firstName: 'Ada', lastName, dateOfBirth: '1990-12-10', country: 'GB' };
}
const PERSONAL_DATA = /Ada|Lovelace|1990/;

it('listens on the port the OS picked when asked for port 0', () => {
  expect(vendor.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(vendor.sandbox.url).not.toMatch(/:0$/);
});

describe('outcomes by the whole last name', () => {
  itDecidesByMagicWords(vendor, { requestFor: person, reasons: { Reject: 'IDENTITY_NOT_VERIFIED', Review: 'POSSIBLE_WATCHLIST_MATCH' }, checkedData: PERSONAL_DATA });

  it('matches the whole last name only', async () => {
    const request = person('Rejectson');
    const { checkId } = await vendor.provider.submit(request);
    expect((await vendor.verifiedCallback(request.reference)).payload).toMatchObject({ checkId, status: 'APPROVED' });
  });
});

describe('idempotent submit', () => {
  it('answers a resubmitted reference with the same check and sends one callback', async () => {
    const request = person('Hopper');
    const [first, second] = await Promise.all([vendor.provider.submit(request), vendor.provider.submit(request)]);
    expect(second).toEqual(first);
    expect(await vendor.provider.submit(request)).toEqual(first);
    await vendor.receiver.waitFor(request.reference);
    await sleep(100);
    expect(vendor.receiver.about(request.reference)).toHaveLength(1);
  });

  it('refuses, non-retryably, a known reference with other person data', async () => {
    const request = person('Hopper');
    await vendor.provider.submit(request);
    const error = await failureOf(vendor.provider.submit({ ...request, firstName: 'Grace' }));
    expect(error).toMatchObject({ type: KycProviderFailure.Rejected, nonRetryable: true });
    expect(error.message).toMatch(/409 REFERENCE_CONFLICT/);
  });
});

describe('error classification for Temporal retries', () => {
  it('makes a refused request (4xx) non-retryable without quoting personal data', async () => {
    const error = await failureOf(vendor.provider.submit({ ...person('Lovelace'), dateOfBirth: '10/12/1990' }));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: KycProviderFailure.Rejected, nonRetryable: true });
    expect(error.message).toMatch(/400 VALIDATION_ERROR/);
    expect(error.message).not.toMatch(PERSONAL_DATA);
  });

  it('makes an unknown check (404) non-retryable', async () => {
    const error = await failureOf(vendor.provider.fetch('chk_unknown'));
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
    const { status, body } = await submitRaw(vendor.sandbox.url, { reference: 'ref_bad', firstName: '', country: 'gb' });
    expect(status).toBe(400);
    expect(body.error).toBe('VALIDATION_ERROR');
    expect((body.details as Array<{ field: string }>).map((d) => d.field).sort()).toEqual(['country', 'firstName', 'lastName']);
  });

  it('retries a callback the receiver answers with 5xx, under the same webhook-id, to the check\'s own callbackUrl', async () => {
    const flakyReceiver = await startCallbackReceiver(WEBHOOK_PATH, (n) => (n === 0 ? 503 : 204));
    const own = await startKycSandbox({ port: 0, webhookUrl: vendor.receiver.url, webhookSecret: vendor.secret, callbackRetryDelaysMs: [50, 50] });
    try {
      const reference = `ref_${randomUUID()}`;
      const submitted = await submitRaw(own.url, { reference, firstName: 'Ada', lastName: 'Lovelace', callbackUrl: flakyReceiver.url });
      expect(submitted).toEqual({ status: 202, body: { checkId: expect.stringMatching(/^chk_/), status: 'PENDING' } });
      const [first, retry] = await flakyReceiver.waitFor(reference, 2);
      expect(retry.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(verifyKycWebhook(vendor.secret, retry.body, retry.headers)).toMatchObject({ reference, status: 'APPROVED' });
      expect(vendor.receiver.about(reference)).toHaveLength(0);
    } finally {
      await own.stop();
      await flakyReceiver.close();
    }
  });

  it('gives up on a receiver that keeps failing after the configured retries', async () => {
    const brokenReceiver = await startCallbackReceiver(WEBHOOK_PATH, () => 500);
    const own = await startKycSandbox({ port: 0, webhookUrl: brokenReceiver.url, webhookSecret: vendor.secret, callbackRetryDelaysMs: [20, 20] });
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
    const quietReceiver = await startCallbackReceiver(WEBHOOK_PATH);
    const own = await startKycSandbox({ port: 0, webhookUrl: quietReceiver.url, webhookSecret: vendor.secret, slowDelayMs: 150 });
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

  itResumesFromItsStateFile(vendor, { requestFor: person, checkedData: PERSONAL_DATA });
});
