/**
 * What the KYC and KYB sandbox tests share: a webhook receiver standing in for the product's callback route, the
 * vendor under test (a sandbox posting to that receiver, and the product's HTTP adapter for it), and the
 * behaviours both sandboxes get from the shared vendor core (devstack/vendor-sandbox/): the magic-word outcomes
 * and a state file that survives a restart. Each test file states its vendor's words, reasons and data.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { newWebhookSecret } from '../../api/webhooks/signature';
import type { RunningVendorSandbox, VendorSandboxOptions } from '../../devstack/vendor-sandbox';

export interface ReceivedCallback {
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

/** A webhook target on a free port; `answer` picks the HTTP status for the nth callback it receives (from 0). */
export async function startCallbackReceiver(path: string, answer: (n: number) => number = () => 200) {
  const callbacks: ReceivedCallback[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      callbacks.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), receivedAt: Date.now() });
      res.writeHead(answer(callbacks.length - 1)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const about = (reference: string) => callbacks.filter((c) => (JSON.parse(c.body) as { reference: string }).reference === reference);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    about,
    async waitFor(reference: string, count = 1, timeoutMs = 3000): Promise<ReceivedCallback[]> {
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
export type CallbackReceiver = Awaited<ReturnType<typeof startCallbackReceiver>>;

/** The error a call fails with; fails the test when the call succeeds. */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the call to fail');
  return error;
}

/** What the product's KYC and KYB adapters have in common. */
export interface CheckProvider<Request extends { reference: string }> {
  submit(request: Request): Promise<{ checkId: string }>;
  fetch(checkId: string): Promise<{ status: string; reason?: string }>;
}

export interface VendorUnderTest<Request extends { reference: string }, Provider extends CheckProvider<Request>> {
  start(options: VendorSandboxOptions): Promise<RunningVendorSandbox>;
  /** The product's adapter for a sandbox at `baseUrl`. */
  provider(name: string, baseUrl: string): Provider;
  /** Where the product receives this vendor's callbacks, e.g. /api/v2.1/webhooks/kyc/sandbox. */
  webhookPath: string;
  /** The product's verifier for this vendor's callbacks: the payload, or a throw. */
  verify(secret: string, body: string, headers: Record<string, string>): unknown;
  /** How long Slow callbacks are held. */
  slowDelayMs: number;
}

/**
 * Before the file's tests, a receiver and a sandbox posting to it (Flaky requests refused twice); after them, both
 * stopped. The returned object's fields are filled in by then.
 */
export function useVendorSandbox<Request extends { reference: string }, Provider extends CheckProvider<Request>>(
  vendor: VendorUnderTest<Request, Provider>,
) {
  const fixture = {
    vendor,
    secret: newWebhookSecret(),
    receiver: undefined as unknown as CallbackReceiver,
    sandbox: undefined as unknown as RunningVendorSandbox,
    provider: undefined as unknown as Provider,
    /** The one callback for a reference, verified the way the product's webhook route verifies it. */
    async verifiedCallback(reference: string) {
      const [callback] = await fixture.receiver.waitFor(reference);
      return { ...callback, payload: vendor.verify(fixture.secret, callback.body, callback.headers) };
    },
  };
  beforeAll(async () => {
    fixture.receiver = await startCallbackReceiver(vendor.webhookPath);
    fixture.sandbox = await vendor.start({
      port: 0,
      webhookUrl: fixture.receiver.url,
      webhookSecret: fixture.secret,
      slowDelayMs: vendor.slowDelayMs,
      flakyFailures: 2,
    });
    fixture.provider = vendor.provider('sandbox', fixture.sandbox.url);
  });
  afterAll(async () => {
    await fixture.sandbox?.stop();
    await fixture.receiver?.close();
  });
  return fixture;
}
export type VendorSandboxFixture<Request extends { reference: string }, Provider extends CheckProvider<Request>> = ReturnType<
  typeof useVendorSandbox<Request, Provider>
>;

export interface MagicWordCases<Request extends { reference: string }> {
  /** A fresh request (new reference) carrying `word` where this vendor looks for it, or no magic word at all. */
  requestFor(word?: string): Request;
  reasons: { Reject: string; Review: string };
  /** Matches any of the checked data the requests carry: it must never appear in an error message. */
  checkedData: RegExp;
}

/** The outcomes of the shared magic-word engine, as the product's adapter sees them through the vendor. */
export function itDecidesByMagicWords<Request extends { reference: string }, Provider extends CheckProvider<Request>>(
  fixture: VendorSandboxFixture<Request, Provider>,
  { requestFor, reasons, checkedData }: MagicWordCases<Request>,
) {
  const { slowDelayMs } = fixture.vendor;

  it('approves anything else, with a prompt callback whose signature verifies', async () => {
    const request = requestFor();
    const submittedAt = Date.now();
    const { checkId } = await fixture.provider.submit(request);
    const callback = await fixture.verifiedCallback(request.reference);
    expect(callback.payload).toEqual({ checkId, reference: request.reference, status: 'APPROVED' });
    // Prompt means not held back the way "Slow" is: a relative bound, not a timing budget a loaded machine can miss.
    expect(callback.receivedAt - submittedAt).toBeLessThan(slowDelayMs);
    expect(await fixture.provider.fetch(checkId)).toEqual({ status: 'APPROVED' });
  });

  it.each([
    ['rEJECT', 'REJECTED', reasons.Reject],
    ['reVIEW', 'REVIEW', reasons.Review],
  ])('decides "%s" as %s, with its reason (magic words match in any letter case)', async (magic, status, reason) => {
    const request = requestFor(magic);
    const { checkId } = await fixture.provider.submit(request);
    const { payload } = await fixture.verifiedCallback(request.reference);
    expect(payload).toEqual({ checkId, reference: request.reference, status, reason });
    expect(await fixture.provider.fetch(checkId)).toEqual({ status, reason });
  });

  it('decides "Slow" promptly but calls back only after slowDelayMs', async () => {
    const request = requestFor('Slow');
    const submittedAt = Date.now();
    const { checkId } = await fixture.provider.submit(request);
    await sleep(slowDelayMs / 2);
    expect(await fixture.provider.fetch(checkId)).toEqual({ status: 'APPROVED' });
    expect(fixture.receiver.about(request.reference)).toHaveLength(0);
    const { payload, receivedAt } = await fixture.verifiedCallback(request.reference);
    expect(payload).toMatchObject({ checkId, status: 'APPROVED' });
    expect(receivedAt - submittedAt).toBeGreaterThanOrEqual(slowDelayMs);
  });

  it('refuses "Flaky" submits with retryable errors (503) until flakyFailures are spent, then opens one check', async () => {
    const request = requestFor('Flaky');
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failureOf(fixture.provider.submit(request));
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      expect(error.message).toMatch(/answered 503/);
      expect(error.message).not.toMatch(checkedData);
      expect(error.message).not.toMatch(/Flaky/);
    }
    const { checkId } = await fixture.provider.submit(request);
    expect(await fixture.provider.submit(request)).toEqual({ checkId });
    expect((await fixture.verifiedCallback(request.reference)).payload).toMatchObject({ checkId, status: 'APPROVED' });
  });

  it('keeps "Silent" PENDING and never calls back', async () => {
    const request = requestFor('Silent');
    const { checkId } = await fixture.provider.submit(request);
    await sleep(300); // several times the sandbox's decision delay
    expect(fixture.receiver.about(request.reference)).toHaveLength(0);
    expect(await fixture.provider.fetch(checkId)).toEqual({ status: 'PENDING' });
  });
}

/** A Slow check's callback, still owed when the sandbox stops, is delivered once by the next one on the same file. */
export function itResumesFromItsStateFile<Request extends { reference: string }, Provider extends CheckProvider<Request>>(
  fixture: VendorSandboxFixture<Request, Provider>,
  { requestFor, checkedData }: Pick<MagicWordCases<Request>, 'requestFor' | 'checkedData'>,
) {
  it('keeps its checks and owed callbacks in its state file, without the checked data, and delivers them after a restart', async () => {
    const { vendor, receiver, secret } = fixture;
    const stateFile = join(mkdtempSync(join(tmpdir(), 'vendor-sandbox-')), 'state.json');
    const options = { port: 0, webhookUrl: receiver.url, webhookSecret: secret, slowDelayMs: 400, stateFile };
    const before = await vendor.start(options);
    const request = requestFor('Slow');
    const { checkId } = await vendor.provider('before', before.url).submit(request);
    await before.stop();
    const stored = readFileSync(stateFile, 'utf8');
    expect(stored).toContain(checkId);
    expect(stored).not.toMatch(checkedData); // a digest of the data, not the data
    expect(stored).not.toMatch(/Slow/);

    const after = await vendor.start(options);
    try {
      const resumed = vendor.provider('after', after.url);
      expect(await resumed.submit(request)).toEqual({ checkId }); // the same check, not a second one
      const { payload } = await fixture.verifiedCallback(request.reference);
      expect(payload).toEqual({ checkId, reference: request.reference, status: 'APPROVED' });
      expect(await resumed.fetch(checkId)).toEqual({ status: 'APPROVED' });
      await sleep(200);
      expect(receiver.about(request.reference)).toHaveLength(1);
    } finally {
      await after.stop();
    }
  });
}
