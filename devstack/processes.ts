/**
 * Child processes the dev stack starts. Each is killed when this process exits, however it exits, so Ctrl-C or
 * SIGTERM leaves no orphan server behind.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface Managed {
  child: ChildProcess;
  stop(): Promise<void>;
  /** SIGKILL, as when the machine dies: no shutdown hooks run. Resolves once the process is gone. */
  crash(): Promise<void>;
  /** The last lines the process wrote, for error messages. */
  tail(): string;
}

export function spawnManaged(command: string, args: string[], logFile: string, options: SpawnOptions = {}): Managed {
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { ...options, stdio: ['ignore', log, log] });
  closeSync(log);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));
  return {
    child,
    tail: () => readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, failed?: () => string | undefined) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = failed?.();
    if (failure) throw new Error(`${what} failed to start:\n${failure}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready within ${timeoutMs / 1000}s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
