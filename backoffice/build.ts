/**
 * Builds the back office (backoffice/src, Preact + TSX) into backoffice/dist: app.js (bundled, minified), app.css,
 * favicon.svg and index.html, which names both with a content hash in the query so a new build is never served stale. No CDN,
 * no inline script or style: the page runs under `script-src 'self'; style-src 'self'`.
 *
 *   npm run build:backoffice      (also run by `npm ci` through prepare, and by `npm start`)
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const ROOT = __dirname;
export const BACKOFFICE_DIST = join(ROOT, 'dist');

export async function buildBackoffice(outDir = BACKOFFICE_DIST): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { app: join(ROOT, 'src', 'main.tsx') },
    outdir: outDir,
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
  const hashOf = (file: string) => createHash('sha256').update(readFileSync(join(outDir, file))).digest('hex').slice(0, 12);
  const html = readFileSync(join(ROOT, 'src', 'index.html'), 'utf8')
    .replace('app.css', `app.css?v=${hashOf('app.css')}`)
    .replace('app.js', `app.js?v=${hashOf('app.js')}`);
  writeFileSync(join(outDir, 'index.html'), html);
  // Named in index.html, so the browser does not ask for /favicon.ico (a 404 in every console).
  copyFileSync(join(ROOT, 'src', 'favicon.svg'), join(outDir, 'favicon.svg'));
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
