import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findProjectRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** The repository root, whether this runs from TypeScript sources or from compiled dist/. */
export const PROJECT_ROOT = findProjectRoot(__dirname);
export const TOOLS_DIR = join(PROJECT_ROOT, '.tools');
