import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder holding Warroom's package.json, found by walking up from `from`: the code runs from
 * `src/` (tests, tsx) and from `dist/src/` (the build), at different depths.
 */
export function packageRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json found above ${from}.`);
    dir = parent;
  }
}
