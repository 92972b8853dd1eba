/**
 * The edge never hangs on a dependency, and stops without dropping work: each Temporal call has a deadline
 * (TEMPORAL_CALL_TIMEOUT_MS) that turns into 503 + Retry-After, and a shutdown turns /ready to 503 while the
 * requests already in flight finish.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createLogger } from '../../common/logger';
import { dataConverterFor } from '../../common/temporal';
import { startApiServer } from '../../api/server';
import { startHarness, type Harness } from '../support/harness';
import { createTenant, http, registration, type TenantSession } from '../support/tenant-client';

const CALL_TIMEOUT_MS = 1500;
let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  // No worker: an update sent to a workflow is never accepted, as when every worker is down.
  h = await startHarness('deadlines', { withWorker: false, env: { TEMPORAL_CALL_TIMEOUT_MS: String(CALL_TIMEOUT_MS) } });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const REGISTER = '/api/v2.1/customer/individual/registration';

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work;
  return { result, ms: Date.now() - started };
}

/** A TCP listener that accepts connections and never says a word: a frontend that has hung. */
async function silentListener(): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('Temporal call deadlines', () => {
  it('answers 503 with Retry-After within the deadline when no worker takes the registration update', async () => {
    const { result: res, ms } = await timed(tenant.call('POST', REGISTER, registration()));
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('SERVICE_UNAVAILABLE');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(ms).toBeGreaterThanOrEqual(CALL_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(CALL_TIMEOUT_MS + 3000);
  });

  it('answers 503 within the deadline when the Temporal frontend accepts the connection and never answers', async () => {
    const hung = await silentListener();
    // Lazy: a real connect would itself wait on the silent frontend; the API's calls are what is under test.
    const connection = Connection.lazy({ address: hung.address });
    const temporal = new Client({ connection, dataConverter: dataConverterFor(h.secrets) });
    const api = await startApiServer(h.config, h.secrets, { db: h.db, temporal, logger: createLogger('silent', 'test') }, 0);
    try {
      const { result: res, ms } = await timed(http(api.url, 'POST', REGISTER, { body: registration(), headers: tenant.headers }));
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('SERVICE_UNAVAILABLE');
      expect(res.headers.get('retry-after')).not.toBeNull();
      expect(ms).toBeLessThan(CALL_TIMEOUT_MS + 3000);
    } finally {
      await api.close();
      await connection.close();
      await hung.close();
    }
  });
});

describe('graceful shutdown', () => {
  /** An API of its own, so shutting it down leaves the harness's alone. */
  const ownApi = () => startApiServer(h.config, h.secrets, { db: h.db, temporal: h.temporal, logger: createLogger('silent', 'test') }, 0);

  /** Holds an exclusive lock on oauth_clients, so a token request waits on the database until released. */
  async function lockTokenTable() {
    const trx = await h.db.transaction();
    await trx.raw('lock table oauth_clients in access exclusive mode');
    return trx;
  }

  const tokenRequest = (url: string) =>
    http(url, 'POST', '/api/v2.1/oauth/token', {
      body: { grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret },
    });

  it('turns /ready to 503 first, lets an in-flight request finish, then stops accepting connections', async () => {
    const api = await ownApi();
    const lock = await lockTokenTable();
    const inFlight = tokenRequest(api.url);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the request is now waiting on the lock

    const stopped = api.shutdown({ drainDelayMs: 1000, timeoutMs: 10_000 });
    const ready = await http(api.url, 'GET', '/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'draining' });

    await lock.commit();
    const finished = await inFlight;
    expect(finished.status).toBe(200);
    expect(typeof finished.body.access_token).toBe('string');

    await stopped;
    await expect(fetch(`${api.url}/health`)).rejects.toThrow();
  });

  it('cuts requests still open at the hard deadline', async () => {
    const api = await ownApi();
    const lock = await lockTokenTable();
    try {
      const inFlight = tokenRequest(api.url).then(
        (res) => res.status,
        () => 'cut',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { ms } = await timed(api.shutdown({ drainDelayMs: 0, timeoutMs: 1000 }));
      expect(ms).toBeLessThan(2000);
      expect(await inFlight).toBe('cut');
    } finally {
      await lock.rollback();
    }
  });
});
