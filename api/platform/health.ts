/** Liveness and readiness. Readiness asks each dependency with a short deadline, so a hung one reads as down. */
import type { Client } from '@temporalio/client';
import type { Router } from 'express';
import { pingDatabase, type Knex } from '../../common/db';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function probe(check: () => Promise<unknown>): Promise<'up' | 'down'> {
  try {
    await withTimeout(check());
    return 'up';
  } catch {
    return 'down';
  }
}

/** Set when the process has been asked to stop: readiness fails first so load balancers stop sending work. */
export interface Lifecycle {
  draining: boolean;
}

export function mountHealthRoutes(router: Router, db: Knex, temporal: Client, lifecycle: Lifecycle = { draining: false }) {
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    if (lifecycle.draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const [postgres, temporalServer] = await Promise.all([
      probe(() => pingDatabase(db)),
      probe(() => temporal.workflowService.getSystemInfo({})),
    ]);
    const ready = postgres === 'up' && temporalServer === 'up';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: { postgres, temporal: temporalServer } });
  });
}
