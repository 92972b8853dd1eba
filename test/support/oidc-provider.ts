/** A local OpenID provider for tests: a discovery document and a JWKS with one RS256 key, served over HTTP. */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';

export const IDP_KID = 'idp-key-1';

export interface LocalIdp {
  issuer: string;
  key: CryptoKey;
  requests: string[];
  close(): Promise<void>;
}

/** A provider that publishes one RS256 key, as Keycloak, Entra ID or Auth0 do at their jwks_uri. */
export async function startIdp(): Promise<LocalIdp> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: IDP_KID, alg: 'RS256', use: 'sig' }] };
  const requests: string[] = [];
  let issuer = '';
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = req.url === '/.well-known/openid-configuration' ? { issuer, jwks_uri: `${issuer}/jwks` } : req.url === '/jwks' ? jwks : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { issuer, key: privateKey, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
