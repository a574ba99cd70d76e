// The project (or installed app) root: the CLI runs from dist/cli.mjs (bundled) or from
// src/main/cli/ (sources). This file must stay in src/main/cli/ for the second case to hold.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT_DIR = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('/dist') ? dirname(here) : join(here, '..', '..', '..');
})();
