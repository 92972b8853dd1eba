/**
 * The back office's web app as the API serves it (backoffice/dist, built by `npm run build:backoffice`, which
 * `npm ci` runs through `prepare`). Global setup rebuilds it when dist is missing or older than a source file, so
 * the browser tests never run against a stale build after an edit (esbuild takes well under a second).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SOURCES = join(ROOT, 'backoffice', 'src');
const BUILT = join(ROOT, 'backoffice', 'dist', 'index.html');

function newestChange(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the app when its sources are newer than its build; a checkout without the app has nothing to build. */
export function buildBackofficeIfStale(): void {
  if (!existsSync(SOURCES)) return;
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestChange(SOURCES)) return;
  execFileSync('npm', ['run', '--silent', 'build:backoffice'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
