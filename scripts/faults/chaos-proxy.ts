/**
 * An HTTP proxy in front of the KYC provider that can misbehave on purpose: answer a share of requests with 503,
 * and hold another share without answering (the caller's timeout fires). It also counts what reached the
 * provider, so an experiment can tell how many checks each verification opened.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChaosProxy {
  url: string;
  /** Share of requests answered 503 and share held unanswered, each 0..1. */
  misbehave(settings: { errorRate: number; hangRate: number }): void;
  /** Per `reference` (the verification id) sent in POST /v1/checks: the distinct check ids the provider answered. */
  checksByReference(): Map<string, Set<string>>;
  counts(): { forwarded: number; errors: number; hangs: number };
  close(): Promise<void>;
}

/** frac(n·φ): spread evenly over 0..1 from the first calls on (a golden-ratio sequence), unlike Math.random. */
const GOLDEN = (Math.sqrt(5) - 1) / 2;

export async function startChaosProxy(upstream: string): Promise<ChaosProxy> {
  let settings = { errorRate: 0, hangRate: 0 };
  // Which call this is since the last misbehave(): a test of a handful of checks must meet the faults it asked for
  // (with Math.random, 6 calls at 25% + 25% all went through about once in 64 runs, and the experiment proved nothing).
  let calls = 0;
  const counts = { forwarded: 0, errors: 0, hangs: 0 };
  const checks = new Map<string, Set<string>>();
  const held = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    calls += 1;
    const roll = (calls * GOLDEN) % 1;
    if (roll < settings.errorRate) {
      counts.errors += 1;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
      return;
    }
    if (roll < settings.errorRate + settings.hangRate) {
      counts.hangs += 1;
      held.add(res);
      res.once('close', () => held.delete(res));
      return;
    }
    counts.forwarded += 1;
    const answer = await fetch(`${upstream}${req.url}`, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) },
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const text = await answer.text();
    if (req.method === 'POST' && req.url === '/v1/checks' && answer.ok) record(body, text);
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
  }

  function record(requestBody: string, responseBody: string) {
    try {
      const { reference } = JSON.parse(requestBody) as { reference: string };
      const { checkId } = JSON.parse(responseBody) as { checkId: string };
      const ids = checks.get(reference) ?? new Set<string>();
      ids.add(checkId);
      checks.set(reference, ids);
    } catch {
      // Not a check submission the experiment can count.
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    misbehave: (next) => {
      settings = next;
      calls = 0;
    },
    checksByReference: () => checks,
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
