import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceUnavailableError } from '../../api/http/errors';
import { createDevCaptchaVerifier, createHttpCaptchaVerifier } from '../../api/auth/captcha';

/** A stand-in siteverify endpoint: records each form it receives and answers with whatever the test sets. */
let server: Server;
let url: string;
let received: URLSearchParams[];
let answer: (res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push(new URLSearchParams(body));
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
});

const json = (status: number, body: unknown) => (res: ServerResponse) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const verifier = (timeoutMs = 2_000) => createHttpCaptchaVerifier({ url, secret: 'site-secret', timeoutMs });

describe('createHttpCaptchaVerifier', () => {
  it('posts secret, response and remote IP as a form and accepts a token the provider vouches for', async () => {
    answer = json(200, { success: true, challenge_ts: '2026-01-01T00:00:00Z', hostname: 'example.com' });
    await expect(verifier().verify('token-123', '203.0.113.7')).resolves.toBe(true);
    expect(received).toHaveLength(1);
    expect(Object.fromEntries(received[0])).toEqual({ secret: 'site-secret', response: 'token-123', remoteip: '203.0.113.7' });
  });

  it('leaves remoteip out when no IP is given', async () => {
    answer = json(200, { success: true });
    await verifier().verify('token-123');
    expect(received[0].has('remoteip')).toBe(false);
  });

  it('refuses a token the provider rejects', async () => {
    answer = json(200, { success: false, 'error-codes': ['invalid-input-response'] });
    await expect(verifier().verify('forged')).resolves.toBe(false);
  });

  it.each<[string, (res: ServerResponse) => void]>([
    ['a provider error', json(500, { error: 'boom' })],
    ['a body that is not JSON', (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>')],
    ['an answer without success', json(200, { hostname: 'example.com' })],
    ['our own secret being refused', json(200, { success: false, 'error-codes': ['invalid-input-secret'] })],
  ])('reports %s as ServiceUnavailableError, not as a failed captcha', async (_name, respond) => {
    answer = respond;
    await expect(verifier().verify('token-123')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('gives up after the timeout with ServiceUnavailableError', async () => {
    answer = () => undefined; // never answers
    const started = Date.now();
    await expect(verifier(150).verify('token-123')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports an unreachable provider as ServiceUnavailableError', async () => {
    const closed = createHttpCaptchaVerifier({ url: 'http://127.0.0.1:1/siteverify', secret: 's', timeoutMs: 2_000 });
    await expect(closed.verify('token-123')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('createDevCaptchaVerifier', () => {
  it('accepts any token except the literal "invalid"', async () => {
    const dev = createDevCaptchaVerifier();
    await expect(dev.verify('03AGdBq26FHIOiuI9...')).resolves.toBe(true);
    await expect(dev.verify('invalid')).resolves.toBe(false);
  });
});
