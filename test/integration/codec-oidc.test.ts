/**
 * CODEC_AUTH=oidc: the Temporal Web UI forwards its signed-in user's access token to /codec/decode. A local
 * identity provider (discovery document + JWKS over HTTP) signs the tokens; the API finds its keys by discovery.
 */
import { Writable } from 'node:stream';
import { generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { createLogger } from '../../common/logger';
import { payloadCodecFor } from '../../common/temporal';
import { startApiServer, type RunningApi } from '../../api/server';
import { startHarness, type Harness } from '../support/harness';
import { freePort } from '../support/ports';
import { IDP_KID as KID, startIdp, type LocalIdp } from '../support/oidc-provider';
import { http } from '../support/tenant-client';

const AUDIENCE = 'temporal-ui';
const SECRET_JSON = '{"email":"jane.doe@example.com","dob":"1990-01-01"}';

let idp: LocalIdp;
let h: Harness;
let api: RunningApi;
const logLines: string[] = [];

beforeAll(async () => {
  idp = await startIdp();
  h = await startHarness('codec_oidc', {
    withWorker: false,
    env: {
      CODEC_AUTH: 'oidc',
      CODEC_OIDC_ISSUER: idp.issuer,
      CODEC_OIDC_AUDIENCE: AUDIENCE,
      CODEC_OIDC_REQUIRED_CLAIM: 'groups',
      CODEC_OIDC_REQUIRED_VALUE: 'compliance',
    },
  });
  // The harness's own API logs nowhere; this one logs into memory, so the test can read what /codec logged.
  const sink = new Writable({ write: (chunk, _encoding, done) => (logLines.push(chunk.toString()), done()) });
  api = await startApiServer(h.config, h.secrets, { db: h.db, temporal: h.temporal, logger: createLogger('info', 'test', sink) }, 0);
});
afterAll(async () => {
  await api?.close();
  await h?.close();
  await idp?.close();
});

function token(claims: JWTPayload = {}, options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string | number } = {}) {
  return new SignJWT({ groups: ['staff', 'compliance'], ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'at+jwt' })
    .setSubject('staff-user-42')
    .setIssuer(options.issuer ?? idp.issuer)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? idp.key);
}

async function encryptedPayload() {
  const [encrypted] = await payloadCodecFor(h.secrets).encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(SECRET_JSON) }]);
  return {
    metadata: Object.fromEntries(Object.entries(encrypted.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(encrypted.data!).toString('base64'),
  };
}

/** What the UI sends: Content-Type, X-Namespace and, with TEMPORAL_CODEC_PASS_ACCESS_TOKEN, the bearer token. */
async function decode(bearer?: string) {
  const headers: Record<string, string> = { 'x-namespace': 'default', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
  return http(api.url, 'POST', '/codec/decode', { body: { payloads: [await encryptedPayload()] }, headers });
}

describe('/codec/decode with CODEC_AUTH=oidc', () => {
  it('decodes for a staff token the provider signed, found through discovery, and logs who asked but no payload', async () => {
    const res = await decode(await token());
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body.payloads[0].data, 'base64').toString()).toBe(SECRET_JSON);
    expect(idp.requests).toEqual(expect.arrayContaining(['/.well-known/openid-configuration', '/jwks']));

    const audit = logLines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'codec decode');
    expect(audit).toMatchObject({ decodedBy: 'staff-user-42', namespace: 'default', payloadCount: 1 });
    const log = logLines.join('\n');
    for (const leak of ['jane.doe', '1990-01-01', Buffer.from(SECRET_JSON).toString('base64'), res.body.payloads[0].data]) {
      expect(log).not.toContain(leak);
    }
  });

  it.each([
    ['no token', async () => undefined],
    ['a token of another issuer', () => token({}, { issuer: 'https://evil.example.com' })],
    ['a token for another audience', () => token({}, { audience: 'some-other-api' })],
    ['an expired token', () => token({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
    ['a token signed by another key under the same kid', async () => token({}, { key: (await generateKeyPair('RS256')).privateKey })],
    ['a token that is not a JWT', async () => 'opaque-access-token'],
  ])('answers 401 in the documented shape for %s', async (_name, make) => {
    const res = await decode(await make());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'UNAUTHORIZED', message: expect.any(String) });
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(JSON.stringify(res.body)).not.toContain('jane.doe');
  });

  it('refuses the platform admin token: in oidc mode the required claim is the policy, and it has none', async () => {
    const res = await decode(h.secrets.platformAdminToken);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('UNAUTHORIZED');
  });

  it.each([
    ['without the groups claim', { groups: undefined }],
    ['whose groups lack compliance', { groups: ['staff'] }],
  ])('answers 403 for a valid token %s', async (_name, claims) => {
    const res = await decode(await token(claims));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'FORBIDDEN', message: 'The access token does not grant groups=compliance' });
  });

  it('answers the browser preflight for the headers the UI sends without asking for a token', async () => {
    const res = await fetch(`${api.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8233', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-namespace' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-namespace']));
  });

  it('answers 503, not 401 or 500, while the identity provider cannot be reached', async () => {
    const config = { ...h.config, CODEC_OIDC_ISSUER: 'http://127.0.0.1:9/unreachable', CODEC_OIDC_JWKS_URL: `http://127.0.0.1:${await freePort()}/jwks` };
    const down = await startApiServer(config, h.secrets, { db: h.db, temporal: h.temporal, logger: createLogger('silent', 'test') }, 0);
    try {
      const res = await http(down.url, 'POST', '/codec/decode', {
        body: { payloads: [await encryptedPayload()] },
        headers: { authorization: `Bearer ${await token({}, { issuer: config.CODEC_OIDC_ISSUER })}` },
      });
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('SERVICE_UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBe('5');
    } finally {
      await down.close();
    }
  });
});
