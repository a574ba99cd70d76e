// The project (or installed app) root: the CLI runs from dist/cli.mjs and its chunks in
// dist/cli/ (bundled: this file lands in one of the chunks) or from src/main/cli/ (sources).
// This file must stay in src/main/cli/ for the last case to hold.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  if (here.endsWith('/dist')) return dirname(here);
  if (here.endsWith('/dist/cli')) return dirname(dirname(here));
  return join(here, '..', '..', '..');
})();
