import { createServer } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlockedUrlError, checkUrlResolves, checkUrlShape, guardedLookup, isPublicAddress } from '../../api/webhooks/url-guard';

const production = { allowPrivate: false };
const development = { allowPrivate: true };

describe('webhook URL guard', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1'])(
    '%s is not a public address',
    (address) => expect(isPublicAddress(address)).toBe(false),
  );

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('%s is a public address', (address) => expect(isPublicAddress(address)).toBe(true));

  it.each([
    ['http://example.com/hook', 'Must use https'],
    ['https://user:pw@example.com/hook', 'Must not carry credentials'],
    ['https://127.0.0.1/hook', 'Must not point to a private, loopback or reserved address'],
    ['https://[::1]/hook', 'Must not point to a private, loopback or reserved address'],
    ['https://169.254.169.254/latest/meta-data', 'Must not point to a private, loopback or reserved address'],
    ['https://localhost/hook', 'Must name a public host'],
    ['https://intranet/hook', 'Must name a public host'],
    ['not a url', 'Must be an absolute URL'],
    ['ftp://example.com/x', 'Must use https'],
  ])('refuses %s in production: %s', (url, message) => {
    expect(() => checkUrlShape(url, production)).toThrow(new BlockedUrlError(message));
  });

  it('accepts https to a public name, and plain http to loopback only in development', () => {
    expect(checkUrlShape('https://hooks.example.com/in?x=1', production).host).toBe('hooks.example.com');
    expect(checkUrlShape('http://127.0.0.1:8080/hook', development).port).toBe('8080');
  });

  it('refuses a name that resolves to loopback in production', async () => {
    await expect(checkUrlResolves(new URL('https://localhost/hook'), production)).rejects.toThrow('Host resolves to a private, loopback or reserved address');
  });

  it('the guarded lookup refuses to connect to a name resolving to loopback, and lets development connect', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const get = (policy: { allowPrivate: boolean }) =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: 'localhost', port, path: '/', family: 4, lookup: guardedLookup(policy) }, (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.statusCode)));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      await expect(get(production)).rejects.toMatchObject({ code: 'EBLOCKED' });
      await expect(get(development)).resolves.toBe('200');
    } finally {
      server.close();
    }
  });
});
