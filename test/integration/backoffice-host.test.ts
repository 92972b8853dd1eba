/**
 * The API process hosts the back office web app under /backoffice/ from its built directory (here a small fixture
 * build): /backoffice redirects to /backoffice/, the app's own routes get index.html (never cached), its files are
 * served as they are, and nothing else is: no dotfile, no directory listing, nothing outside the directory. Every
 * answer carries the strict content-security policy; without a build the answer says how to make one.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultBackofficeDir } from '../../api/backoffice/static';
import { startHarness, type Harness } from '../support/harness';

const INDEX = '<!doctype html><html lang="en"><head><script type="module" src="/backoffice/app.js"></script></head><body></body></html>';
const APP_JS = 'console.log("back office");';
const SECRET = 'not-for-the-browser-4b1d';
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; object-src 'self' blob:; frame-src 'self' blob:; " +
  "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

let root: string;
let dist: string;
let h: Harness;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'backoffice-host-'));
  dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'app.js'), APP_JS);
  writeFileSync(join(dist, 'app.css'), 'body { margin: 0 }');
  writeFileSync(join(dist, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, '.env'), SECRET);
  // Beside the build, where a path that climbs out of it would land.
  writeFileSync(join(root, 'secret.txt'), SECRET);
  h = await startHarness('backoffice_host', { withWorker: false, backofficeDir: dist });
});
afterAll(async () => {
  await h?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with the path exactly as written: fetch would resolve `..` and percent-escapes before sending. */
function raw(path: string, method = 'GET'): Promise<Answer> {
  const { hostname, port } = new URL(h.api.url);
  return new Promise((done, fail) => {
    const req = request({ hostname, port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

function expectSecurityHeaders(answer: Answer): void {
  expect({
    csp: answer.headers['content-security-policy'],
    nosniff: answer.headers['x-content-type-options'],
    referrer: answer.headers['referrer-policy'],
    frame: answer.headers['x-frame-options'],
    opener: answer.headers['cross-origin-opener-policy'],
  }).toEqual({ csp: CSP, nosniff: 'nosniff', referrer: 'no-referrer', frame: 'DENY', opener: 'same-origin' });
}

it('redirects /backoffice to /backoffice/ for good (301), keeping the query', async () => {
  for (const [path, location] of [
    ['/backoffice', '/backoffice/'],
    ['/backoffice?case=cust_1', '/backoffice/?case=cust_1'],
  ]) {
    const res = await raw(path!);
    expect({ status: res.status, location: res.headers.location }).toEqual({ status: 301, location });
    expectSecurityHeaders(res);
  }
});

it("answers index.html, never cached, at /backoffice/ and at every path of the app's own", async () => {
  for (const path of ['/backoffice/', '/backoffice/queue', '/backoffice/cases/INDIVIDUAL/cust_4f2a9c1e7b3d5a6c8e0f1a2b', '/backoffice/assets/', '/backoffice/index.html']) {
    const res = await raw(path);
    expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 200, body: INDEX });
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expectSecurityHeaders(res);
  }
  const head = await raw('/backoffice/queue', 'HEAD');
  expect({ status: head.status, body: head.body }).toEqual({ status: 200, body: '' });
  expect((await raw('/backoffice/queue', 'POST')).status).toBe(404);
});

it('serves the built files with their types and the same headers, and 404 for a file it does not have', async () => {
  const script = await raw('/backoffice/app.js');
  expect({ status: script.status, body: script.body }).toEqual({ status: 200, body: APP_JS });
  expect(script.headers['content-type']).toMatch(/^(application|text)\/javascript/);
  expect(script.headers['cache-control']).not.toBe('no-store');
  expectSecurityHeaders(script);
  expect((await raw('/backoffice/app.css')).headers['content-type']).toMatch(/^text\/css/);
  expect((await raw('/backoffice/assets/logo.svg')).headers['content-type']).toMatch(/^image\/svg\+xml/);

  const missing = await raw('/backoffice/missing.js');
  expect(missing.status).toBe(404);
  expect(JSON.parse(missing.body)).toMatchObject({ error: 'NOT_FOUND' });
  expectSecurityHeaders(missing);
});

it('serves no dotfile and nothing outside its directory, however the path is spelt', async () => {
  for (const path of [
    '/backoffice/.env',
    '/backoffice/%2eenv',
    '/backoffice/../secret.txt',
    '/backoffice/../package.json',
    '/backoffice/%2e%2e/secret.txt',
    '/backoffice/..%2fsecret.txt',
    '/backoffice/%2e%2e%2fsecret.txt',
    '/backoffice/assets/../../secret.txt',
    '/backoffice/assets/%2e%2e/%2e%2e/secret.txt',
    '/backoffice/..%5csecret.txt',
    '/backoffice//secret.txt',
  ]) {
    const res = await raw(path);
    expect({ path, status: res.status }).toEqual({ path, status: 404 });
    expect(res.body).not.toContain(SECRET);
    expect(res.body).not.toContain('"name": "onboarding-orchestrator"');
  }
});

it('answers 503 BACKOFFICE_NOT_BUILT while there is no build, and serves one made while it runs', async () => {
  renameSync(join(dist, 'index.html'), join(dist, 'index.html.away'));
  try {
    for (const path of ['/backoffice/', '/backoffice/queue', '/backoffice/app.js']) {
      const res = await raw(path);
      expect({ path, status: res.status, body: JSON.parse(res.body) }).toEqual({
        path,
        status: 503,
        body: { error: 'BACKOFFICE_NOT_BUILT', message: 'Run npm run build:backoffice' },
      });
      expectSecurityHeaders(res);
    }
  } finally {
    renameSync(join(dist, 'index.html.away'), join(dist, 'index.html'));
  }
  expect((await raw('/backoffice/')).status).toBe(200);
});

it('finds backoffice/dist under the project root, from the sources and from the compiled dist/ of the image', () => {
  expect(defaultBackofficeDir()).toBe(resolve(__dirname, '..', '..', 'backoffice', 'dist'));
  // The image: /app/package.json beside /app/dist/api/backoffice/static.js.
  const image = mkdtempSync(join(tmpdir(), 'backoffice-image-'));
  try {
    mkdirSync(join(image, 'dist', 'api', 'backoffice'), { recursive: true });
    writeFileSync(join(image, 'package.json'), '{}');
    expect(defaultBackofficeDir(join(image, 'dist', 'api', 'backoffice'))).toBe(join(image, 'backoffice', 'dist'));
  } finally {
    rmSync(image, { recursive: true, force: true });
  }
});
