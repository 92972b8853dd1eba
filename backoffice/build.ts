/**
 * Builds the back office (backoffice/src, Preact + TSX) into backoffice/dist: app.js (bundled, minified), app.css,
 * favicon.svg and index.html, which names both with a content hash in the query so a new build is never served stale. No CDN,
 * no inline script or style: the page runs under `script-src 'self'; style-src 'self'`.
 *
 *   npm run build:backoffice      (also run by `npm ci` through prepare, and by `npm start`)
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const ROOT = __dirname;
export const BACKOFFICE_DIST = join(ROOT, 'dist');

export async function buildBackoffice(outDir = BACKOFFICE_DIST): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const built = await build({
    entryPoints: { app: join(ROOT, 'src', 'main.tsx') },
    outdir: outDir,
    write: false,
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const hashOf = (contents: Uint8Array) => createHash('sha256').update(contents).digest('hex').slice(0, 12);
  let html = readFileSync(join(ROOT, 'src', 'index.html'), 'utf8');
  // A running API may be serving this directory (a second `npm start`, the tests' processes): every file is written
  // beside its place and renamed over it, so a request never finds one missing or half written; index.html last,
  // once what it names is in place.
  for (const file of built.outputFiles) {
    const name = basename(file.path);
    replaceFile(join(outDir, name), file.contents);
    html = html.replace(name, `${name}?v=${hashOf(file.contents)}`);
  }
  // Named in index.html, so the browser does not ask for /favicon.ico (a 404 in every console).
  replaceFile(join(outDir, 'favicon.svg'), readFileSync(join(ROOT, 'src', 'favicon.svg')));
  replaceFile(join(outDir, 'index.html'), html);
}

/** Writes a file under a temporary name and renames it over the old one (atomic on one filesystem). */
function replaceFile(path: string, contents: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

if (require.main === module) {
  const started = Date.now();
  buildBackoffice().then(
    () => console.log(`Back office built into ${BACKOFFICE_DIST} in ${Date.now() - started} ms`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
