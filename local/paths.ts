import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, found from this file whether it runs from `local/` (tests) or `dist/local/` (builds). */
function findRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '..', '..') : path.resolve(here, '..');
}

export const projectRoot = findRoot();
/** Git-ignored folder for everything the local cloud keeps between runs. */
export const localCloudDir = path.join(projectRoot, '.local-cloud');
export const certificatesDir = path.join(localCloudDir, 'tls');
