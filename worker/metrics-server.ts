/**
 * `npm run worker`'s /metrics on WORKER_METRICS_PORT: what its activities record (provider calls, step durations),
 * Node's process metrics and the Temporal SDK's worker metrics, behind METRICS_TOKEN when one is set. The same
 * handler as the API's; the figures read from PostgreSQL stay with the API, so they are counted once.
 */
import type { Server } from 'node:http';
import express from 'express';
import type { Logger } from '../common/logger';
import { errorHandler, notFoundHandler } from '../api/http/errors';
import { metricsHandler } from '../api/metrics/endpoint';

export interface WorkerMetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function startWorkerMetricsServer(options: { host: string; port: number; token?: string; logger: Logger }): Promise<WorkerMetricsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler({ token: options.token, logger: options.logger }));
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port, options.host, () => resolve(s)).once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
