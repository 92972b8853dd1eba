/**
 * The KYB boundary end to end: the HTTP provider adapter against the sandbox vendor, whose signed callbacks land
 * on a tiny local receiver and are checked with the product's shared Standard Webhooks verifier. The cases shared
 * with the KYC sandbox (magic-word outcomes, the state file) come from test/support/vendor-sandbox.ts.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { createHttpKybProvider, KybProviderFailure, type KybCheckRequest } from '../../activities/kyb-provider';
import { kybWebhookPayloadSchema } from '../../api/kyb/schemas';
import { verifySignedWebhook } from '../../api/webhooks/signature';
import { startKybSandbox } from '../../devstack/kyb-sandbox';
import { freePort } from '../support/ports';
import { failureOf, itDecidesByMagicWords, itResumesFromItsStateFile, useVendorSandbox } from '../support/vendor-sandbox';

const vendor = useVendorSandbox({
  start: startKybSandbox,
  provider: (name, baseUrl) => createHttpKybProvider({ name, baseUrl, timeoutMs: 2000 }),
  webhookPath: '/api/v2.1/webhooks/kyb/sandbox',
  verify: (secret, body, headers) => verifySignedWebhook(secret, body, headers, kybWebhookPayloadSchema),
  // Long enough that "prompt" (less than this) holds on a loaded machine; "Slow" waits it out.
  slowDelayMs: 2000,
});

/** A business whose name carries `word`, if any, in its middle: the sandbox finds magic words anywhere. */
function business(word?: string): KybCheckRequest {
  const businessName = word ? `Acme ${word} Holdings Ltd` : 'Acme Trading Ltd';
  return { reference: `kyb_${randomUUID().replace(/-/g, '')}`, businessName, registrationNumber: '09876543', country: 'GB' };
}
const COMPANY_DATA = /Acme|Holdings|09876543/;

describe('check outcomes by magic words anywhere in the business name', () => {
  itDecidesByMagicWords(vendor, { requestFor: business, reasons: { Reject: 'BUSINESS_NOT_VERIFIED', Review: 'ADVERSE_MEDIA_MATCH' }, checkedData: COMPANY_DATA });
});

describe('registry lookup', () => {
  const lookUp = (name: string, registrationNumber = '01234567') => vendor.provider.lookUpCompany({ name, registrationNumber, country: 'GB' });

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
    const error = await failureOf(vendor.provider.submit({ ...business(), country: 'GBR' }));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: KybProviderFailure.Rejected, nonRetryable: true });
    expect(error.message).toMatch(/400 VALIDATION_ERROR/);
    expect(error.message).not.toMatch(/Acme|09876543/);
  });

  it('refuses, non-retryably, a known reference with other company data', async () => {
    const request = business();
    await vendor.provider.submit(request);
    const error = await failureOf(vendor.provider.submit({ ...request, businessName: 'Other Name Ltd' }));
    expect(error).toMatchObject({ type: KybProviderFailure.Rejected, nonRetryable: true });
    expect(error.message).toMatch(/409 REFERENCE_CONFLICT/);
  });

  it('makes an unknown check (404) non-retryable', async () => {
    expect(await failureOf(vendor.provider.fetch('kyb_chk_unknown'))).toMatchObject({ type: KybProviderFailure.Rejected, nonRetryable: true });
  });

  it('makes an unreachable provider a retryable plain error', async () => {
    const down = createHttpKybProvider({ name: 'down', baseUrl: `http://127.0.0.1:${await freePort()}`, timeoutMs: 1000 });
    const error = await failureOf(down.lookUpCompany({ name: 'Acme', registrationNumber: '1', country: 'GB' }));
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect(error.message).toMatch(/KYB provider down: GET \/v1\/registry\/companies\/GB\/1 failed on the network \(ECONNREFUSED\)/);
  });
});

describe('the sandbox as a vendor', () => {
  itResumesFromItsStateFile(vendor, { requestFor: business, checkedData: COMPANY_DATA });

  it('answers a lookup without a name, or with a malformed country, 400 naming the field', async () => {
    const response = await fetch(`${vendor.sandbox.url}/v1/registry/companies/gbr/123`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; details: Array<{ field: string }> };
    expect(body.error).toBe('VALIDATION_ERROR');
    expect(body.details.map((d) => d.field).sort()).toEqual(['country', 'name']);
  });
});
