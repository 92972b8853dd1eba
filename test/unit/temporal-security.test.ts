import { ConfigError, parseConfig } from '../../common/config';
import { temporalSecurity } from '../../common/temporal';

const files: Record<string, string> = { '/tls/ca.pem': 'CA', '/tls/client.pem': 'CRT', '/tls/client.key': 'KEY' };
const readFile = (path: string) => {
  if (!(path in files)) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
  return Buffer.from(files[path]!);
};
const securityFor = (env: Record<string, string>) => temporalSecurity(parseConfig(env), readFile);

describe('Temporal connection security from configuration', () => {
  it('connects in clear text with no TLS settings (a local dev server)', () => {
    expect(securityFor({})).toEqual({});
  });

  it('builds mTLS from a CA, a client certificate and key, and a server name', () => {
    const security = securityFor({
      TEMPORAL_TLS_CA_PATH: '/tls/ca.pem',
      TEMPORAL_TLS_CERT_PATH: '/tls/client.pem',
      TEMPORAL_TLS_KEY_PATH: '/tls/client.key',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(security.apiKey).toBeUndefined();
    expect(security.tls?.serverNameOverride).toBe('temporal.internal');
    expect(security.tls?.serverRootCACertificate?.toString()).toBe('CA');
    expect(security.tls?.clientCertPair?.crt.toString()).toBe('CRT');
    expect(security.tls?.clientCertPair?.key.toString()).toBe('KEY');
  });

  it('turns TLS on for an API key (Temporal Cloud) and trusts the system roots', () => {
    expect(securityFor({ TEMPORAL_API_KEY: 'cloud-key' })).toEqual({ tls: {}, apiKey: 'cloud-key' });
  });

  it('sends an API key in clear text only when TLS is explicitly off (a local proxy)', () => {
    expect(securityFor({ TEMPORAL_API_KEY: 'k', TEMPORAL_TLS: 'false' })).toEqual({ apiKey: 'k' });
  });

  it('TEMPORAL_TLS=true alone uses TLS with the system roots', () => {
    expect(securityFor({ TEMPORAL_TLS: 'true' })).toEqual({ tls: {} });
  });

  it.each([
    ['TEMPORAL_TLS_KEY_PATH', { TEMPORAL_TLS_CERT_PATH: '/tls/client.pem' }],
    ['TEMPORAL_TLS_CERT_PATH', { TEMPORAL_TLS_KEY_PATH: '/tls/client.key' }],
    ['TEMPORAL_TLS', { TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA_PATH: '/tls/ca.pem' }],
    ['TEMPORAL_TLS', { TEMPORAL_TLS: 'yes' }],
  ])('refuses an inconsistent setting, naming %s', (variable, env) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(variable);
  });

  it('names the variable whose file cannot be read', () => {
    expect(() => securityFor({ TEMPORAL_TLS_CA_PATH: '/tls/missing.pem' })).toThrow(/TEMPORAL_TLS_CA_PATH: cannot read \/tls\/missing\.pem/);
  });
});

describe('edge and shutdown timing settings', () => {
  it.each([
    ['HTTP_HEADERS_TIMEOUT_MS', { HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' }],
    ['SHUTDOWN_DRAIN_DELAY_MS', { SHUTDOWN_DRAIN_DELAY_MS: '30000', SHUTDOWN_TIMEOUT_MS: '10000' }],
    ['WORKER_SHUTDOWN_GRACE_MS', { WORKER_SHUTDOWN_GRACE_MS: '30000', SHUTDOWN_TIMEOUT_MS: '10000' }],
    ['TEMPORAL_CALL_TIMEOUT_MS', { TEMPORAL_CALL_TIMEOUT_MS: '10' }],
  ])('refuses an impossible %s', (variable, env) => {
    expect(() => parseConfig(env)).toThrow(variable);
  });
});
