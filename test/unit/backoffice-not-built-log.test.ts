/**
 * Without a build the back office answers 503 BACKOFFICE_NOT_BUILT on every request; the log says so once, at
 * warn (the operator has a build to run), and never at error per request as a fault would be.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import { mountBackoffice } from '../../api/backoffice/static';
import { errorHandler } from '../../api/http/errors';
import { createLogger } from '../../common/logger';

it('logs a missing build once at warn, however many requests it answers 503', async () => {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split('\n').map((line) => JSON.parse(line)));
      done();
    },
  });
  const logger = createLogger('info', 'test', sink);
  const emptyDist = mkdtempSync(join(tmpdir(), 'backoffice-unbuilt-'));
  const app = express();
  const router = express.Router();
  mountBackoffice(router, emptyDist, logger);
  app.use(router);
  app.use(errorHandler(logger));
  const server = app.listen(0);
  try {
    const { port } = server.address() as AddressInfo;
    for (const path of ['/backoffice/', '/backoffice/queue', '/backoffice/app.js']) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect({ path, status: res.status, body: await res.json() }).toEqual({
        path,
        status: 503,
        body: { error: 'BACKOFFICE_NOT_BUILT', message: 'Run npm run build:backoffice' },
      });
    }
    // pino's levels: 40 warn, 50 error.
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.filter((line) => line.level === 40)).toEqual([expect.objectContaining({ msg: expect.stringContaining('back office is not built') })]);
  } finally {
    server.close();
    rmSync(emptyDist, { recursive: true, force: true });
  }
});
