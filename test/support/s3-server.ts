/**
 * A real S3-compatible server for the S3 document store's tests: s3rver (npm), a separate process speaking the
 * S3 REST API over HTTP and keeping objects as files in its own directory. Started by the test file that needs
 * it, on a free port, and killed after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

/** s3rver's built-in account. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface RunningS3Server {
  endpoint: string;
  bucket: string;
  /** Where the server keeps its objects. */
  directory: string;
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (after `stop`). */
  restart(): Promise<void>;
}

export async function startS3Server(bucket = 'documents'): Promise<RunningS3Server> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  async function start() {
    const bin = require.resolve('s3rver/bin/s3rver.js');
    child = spawn(process.execPath, [bin, '--directory', directory, '--address', '127.0.0.1', '--port', String(port), '--silent', '--configure-bucket', bucket], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`s3rver exited with ${child.exitCode}: ${stderr}`);
      const up = await fetch(endpoint, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false);
      if (up) return;
      if (Date.now() > deadline) throw new Error(`s3rver did not answer on ${endpoint} within 20 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function stop() {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }

  await start();
  return {
    endpoint,
    bucket,
    directory,
    stop,
    restart: start,
  };
}

/** Stops the server and removes its directory. */
export async function destroyS3Server(server: RunningS3Server | undefined): Promise<void> {
  if (!server) return;
  await server.stop();
  rmSync(server.directory, { recursive: true, force: true });
}
