/**
 * The sandboxes' HTTP server: a table of JSON routes, errors in the vendor's shape, and a stop that does not wait
 * on clients' keep-alive sockets.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, HttpProblem, readJson, sendJson, urlHost } from './http';

export interface JsonAnswer {
  status: number;
  body: unknown;
}

export interface JsonRequest {
  /** The path's `:name` segments, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  body(): Promise<unknown>;
}

export interface JsonRoute {
  method: 'GET' | 'POST';
  /** e.g. `/v1/checks/:checkId`. */
  path: string;
  handle(request: JsonRequest): JsonAnswer | Promise<JsonAnswer>;
}

export interface JsonServerOptions {
  /** Names the sandbox in log lines, e.g. "kyc-sandbox". */
  name: string;
  port: number;
  host: string;
  routes: JsonRoute[];
  log: (message: string) => void;
}

export async function serveJsonRoutes({ name, port, host, routes, log }: JsonServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const table = routes.map((route) => ({ route, ...compile(route.path) }));

  async function answer(req: IncomingMessage): Promise<JsonAnswer> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const matching = table
      .map(({ route, pattern, names }) => ({ route, names, match: pattern.exec(url.pathname) }))
      .filter((candidate) => candidate.match !== null);
    if (matching.length === 0) throw new HttpProblem(404, 'NOT_FOUND', 'No such route');
    const chosen = matching.find(({ route }) => route.method === req.method);
    if (!chosen) throw new HttpProblem(405, 'METHOD_NOT_ALLOWED', `Use ${matching[0].route.method}`);
    const params = Object.fromEntries(chosen.names.map((param, i) => [param, decodeURIComponent(chosen.match![i + 1])]));
    return chosen.route.handle({ params, query: url.searchParams, body: () => readJson(req) });
  }

  const server = createServer((req, res) => {
    answer(req)
      .then(
        ({ status, body }) => sendJson(res, status, body),
        (error: unknown) => {
          if (error instanceof HttpProblem) {
            const { status, code, message, details } = error;
            sendJson(res, status, { error: code, message, ...(details ? { details } : {}) }, status === 503 ? { 'retry-after': '1' } : {});
          } else {
            log(`${name}: request failed: ${describe(error)}`);
            sendJson(res, 500, { error: 'INTERNAL_ERROR', message: 'Unexpected error' });
          }
        },
      )
      .catch((error: unknown) => log(`${name}: answering failed: ${describe(error)}`));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log(`${name}: server error: ${describe(error)}`));

  return {
    url: `http://${urlHost(host)}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // keep-alive sockets of HTTP clients would hold close() open otherwise
      }),
  };
}

/** `/v1/checks/:checkId` → a pattern matching one path segment per `:name`, and the names in order. */
function compile(path: string): { pattern: RegExp; names: string[] } {
  const segments = path.split('/');
  const names = segments.filter((segment) => segment.startsWith(':')).map((segment) => segment.slice(1));
  const pattern = segments.map((segment) => (segment.startsWith(':') ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return { pattern: new RegExp(`^${pattern}$`), names };
}
