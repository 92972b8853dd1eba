/**
 * The webhook sender's transport: what a receiver can do to it (hang, stream forever, be closed) ends in a
 * bounded attempt with one PII-free word, and a private address is refused before any connection in production.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { retryDelay } from '../../activities/webhook-delivery';
import { postWebhook } from '../../activities/webhook-http';
import { webhookFailingEmail } from '../../activities/templates/webhook-alerts';

const development = { allowPrivate: true };
const production = { allowPrivate: false };
const message = { body: '{"id":"evt_1"}', headers: { 'webhook-id': 'evt_1' } };

let server: Server;
let hits = 0;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits += 1;
    if (req.url === '/hang') return; // never answers
    if (req.url === '/stream') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'.repeat(64 * 1024)), 1); // an endless body
      res.on('close', () => clearInterval(timer));
      return;
    }
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('postWebhook', () => {
  it('answers the status code and how long it took', async () => {
    const outcome = await postWebhook({ url: `${base}/ok`, ...message }, development, 2_000);
    expect(outcome).toEqual({ statusCode: 204, error: null, latencyMs: expect.any(Number) });
  });

  it('gives up at the timeout on a receiver that never answers', async () => {
    const outcome = await postWebhook({ url: `${base}/hang`, ...message }, development, 300);
    expect(outcome).toMatchObject({ statusCode: null, error: 'timeout' });
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(250);
    expect(outcome.latencyMs).toBeLessThan(2_000);
  });

  it('does not read a response body: an endless one still ends the attempt at once', async () => {
    const outcome = await postWebhook({ url: `${base}/stream`, ...message }, development, 5_000);
    expect(outcome).toMatchObject({ statusCode: 200, error: null });
    expect(outcome.latencyMs).toBeLessThan(1_000);
  });

  it('names a closed port "refused"', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await postWebhook({ url: `http://127.0.0.1:${port}/`, ...message }, development, 2_000)).toMatchObject({ statusCode: null, error: 'refused' });
  });

  it.each([`https://127.0.0.1/hook`, 'https://localhost/hook', 'http://example.com/hook'])(
    'refuses %s in production without connecting',
    async (url) => {
      const before = hits;
      expect(await postWebhook({ url, ...message }, production, 2_000)).toEqual({ statusCode: null, error: 'blocked', latencyMs: 0 });
      expect(hits).toBe(before);
    },
  );
});

describe('retryDelay', () => {
  it('doubles from the initial interval, with jitter within half of it, up to the maximum', () => {
    const settings = { retryInitialMs: 1_000, retryMaxIntervalMs: 60_000 };
    for (let i = 0; i < 50; i++) {
      expect(retryDelay(1, settings)).toBeGreaterThanOrEqual(500);
      expect(retryDelay(1, settings)).toBeLessThanOrEqual(1_000);
      expect(retryDelay(4, settings)).toBeGreaterThanOrEqual(4_000);
      expect(retryDelay(4, settings)).toBeLessThanOrEqual(8_000);
      expect(retryDelay(100, settings)).toBeGreaterThanOrEqual(30_000);
      expect(retryDelay(100, settings)).toBeLessThanOrEqual(60_000);
    }
  });
});

describe('the failing-subscription alert', () => {
  it('names the endpoint without its query string, and the window in words', () => {
    const email = webhookFailingEmail({ subscriptionId: 'whs_1', url: 'https://hooks.example.com/in?token=s3cret', retryWindowMs: 3 * 86_400_000 });
    expect(email.text).toContain('whs_1 (https://hooks.example.com/in)');
    expect(email.text).toContain('for 3 days');
    expect(email.text + email.html).not.toContain('s3cret');
  });
});
