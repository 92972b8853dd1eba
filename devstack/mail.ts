/** MailDev as a child process: an SMTP catcher with a web inbox and a REST API (GET /email) tests read. */
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths';
import { spawnManaged, waitFor } from './processes';

export interface RunningMailDev {
  smtpUrl: string;
  inboxUrl: string;
  stop(): Promise<void>;
}

export async function startMailDev(options: {
  smtpPort: number;
  webPort: number;
  logFile: string;
  mailDirectory?: string;
}): Promise<RunningMailDev> {
  const bin = join(PROJECT_ROOT, 'node_modules', 'maildev', 'bin', 'maildev');
  const args = [
    bin,
    '--ip', '127.0.0.1',
    '--smtp', String(options.smtpPort),
    '--web', String(options.webPort),
    ...(options.mailDirectory ? ['--mail-directory', options.mailDirectory] : []),
  ];
  const server = spawnManaged(process.execPath, args, options.logFile);
  const inboxUrl = `http://127.0.0.1:${options.webPort}`;
  await waitFor('MailDev', async () => (await fetch(`${inboxUrl}/healthz`)).ok, 30_000, () =>
    server.child.exitCode !== null ? server.tail() : undefined,
  );
  return { smtpUrl: `smtp://127.0.0.1:${options.smtpPort}`, inboxUrl, stop: server.stop };
}
