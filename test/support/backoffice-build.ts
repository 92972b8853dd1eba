/**
 * The back office's web app as the API serves it (backoffice/dist, built by `npm run build:backoffice`, which
 * `npm ci` runs through `prepare`). Global setup rebuilds it when dist is missing or older than a source file, so
 * the browser tests never run against a stale build after an edit (esbuild takes well under a second).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildBackoffice, BACKOFFICE_DIST } from '../../backoffice/build';

const SOURCES = [join(__dirname, '..', '..', 'backoffice', 'src'), join(__dirname, '..', '..', 'backoffice', 'build.ts')];
const BUILT = join(BACKOFFICE_DIST, 'index.html');

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/** Builds the app when a source is newer than its build. */
export async function buildBackofficeIfStale(): Promise<void> {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= Math.max(...SOURCES.map(newestChange))) return;
  await buildBackoffice();
}
