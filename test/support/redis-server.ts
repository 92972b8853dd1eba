/**
 * A real redis-server (Debian's package; .ci/run installs it) on a free loopback port, without persistence, for
 * tests of the Redis rate-limit store. Not found on PATH: the test fails, it is never skipped.
 */
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { freePort } from './ports';

export interface RunningRedis {
  url: string;
  stop(): Promise<void>;
}

export async function startRedisServer(): Promise<RunningRedis> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const failed = new Promise<never>((_, reject) => child.once('error', (error) => reject(new Error(`redis-server could not start (is it installed?): ${error.message}`))));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([failed, untilListening(port)]);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function untilListening(port: number, withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port} within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
