/**
 * The infrastructure the product runs on, resolved the same way for `npm start` and for the test run: use
 * what the environment points at (TEMPORAL_ADDRESS, DATABASE_URL, SMTP_URL), start what it does not.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startMailDev } from './mail';
import { createDatabaseIfMissing } from './databases';
import { startEmbeddedPostgres } from './postgres';
import { resolveTemporalCli, startTemporalDevServer } from './temporal';

export interface StackOptions {
  dataDir: string;
  /** Keep state across restarts (npm start) or throw it away (tests). */
  persistent: boolean;
  database: string;
  temporalAddress?: string;
  temporalCliPath?: string;
  databaseUrl?: string;
  smtpUrl?: string;
  ports: { temporal: number; temporalUi?: number; postgres: number; smtp: number; mailWeb: number };
  codecEndpoint?: string;
}

export interface Stack {
  temporalAddress: string;
  temporalUiUrl?: string;
  /** A URL for the application database; with `serverUrl` tests create more databases beside it. */
  databaseUrl: string;
  serverUrl: string;
  smtpUrl: string;
  /** MailDev's web inbox and REST API, when this stack started it. */
  inboxUrl?: string;
  started: string[];
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const started: string[] = [];

  const temporal = options.temporalAddress
    ? Promise.resolve({ address: options.temporalAddress, uiUrl: undefined })
    : startTemporalDevServer({
        cliPath: resolveTemporalCli(options.temporalCliPath),
        port: options.ports.temporal,
        uiPort: options.ports.temporalUi,
        dbFile: options.persistent ? join(dataDir, 'temporal.sqlite') : undefined,
        logFile: join(logDir, 'temporal.log'),
        codecEndpoint: options.codecEndpoint,
      }).then((server) => {
        stops.push(server.stop);
        started.push('temporal');
        return server;
      });

  const postgres = options.databaseUrl
    ? Promise.resolve({ serverUrl: options.databaseUrl })
    : startEmbeddedPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: options.ports.postgres,
        persistent: options.persistent,
      }).then((server) => {
        stops.push(server.stop);
        started.push('postgres');
        return { serverUrl: server.url('postgres') };
      });

  const mail = options.smtpUrl
    ? Promise.resolve({ smtpUrl: options.smtpUrl, inboxUrl: undefined })
    : startMailDev({
        smtpPort: options.ports.smtp,
        webPort: options.ports.mailWeb,
        logFile: join(logDir, 'maildev.log'),
        mailDirectory: options.persistent ? join(dataDir, 'mail') : undefined,
      }).then((server) => {
        stops.push(server.stop);
        started.push('maildev');
        return server;
      });

  const stop = async () => {
    await Promise.allSettled(stops.map((s) => s()));
  };
  try {
    const [t, p, m] = await Promise.all([temporal, postgres, mail]);
    const databaseUrl = options.databaseUrl ?? (await createDatabaseIfMissing(p.serverUrl, options.database));
    return {
      temporalAddress: t.address,
      temporalUiUrl: t.uiUrl,
      databaseUrl,
      serverUrl: p.serverUrl,
      smtpUrl: m.smtpUrl,
      inboxUrl: m.inboxUrl,
      started,
      stop,
    };
  } catch (error) {
    await Promise.allSettled([temporal, postgres, mail]);
    await stop();
    throw error;
  }
}
