import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { runCli } from '../../src/main/cli/main';

export const ROOT = join(__dirname, '../..');

/** A private HOME with its own XDG dirs, so a test never touches the user's guests. */
export async function tempHome(prefix = 'gb-') {
  const home = await mkdtemp(join(tmpdir(), prefix));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), XDG_RUNTIME_DIR: join(home, 'run') };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  // The test suites' guests opt out of the Guestbay folder (issue 17), so a save keeps working
  // on QEMU 7.2's C virtiofsd; the folder's own test turns it on.
  await mkdir(join(home, 'config', 'guestbay'), { recursive: true });
  await writeFile(join(home, 'config', 'guestbay', 'settings.json'), '{"newGuestsGetFolder": false}\n');
  // Retries: a call still finishing after a test (a UI unmounted mid-request) may write a file.
  return { home, env, cleanup: () => rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }) };
}

/** Runs the CLI in this process (fast), capturing what it prints. */
export async function cli(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`) }, env, cwd);
  return { code, stdout, stderr };
}

/** Runs the real `guestbay` command as a user would (bin/guestbay.mjs under Node). */
export function guestbay(args: string[], env: NodeJS.ProcessEnv) {
  return execa('node', [join(ROOT, 'bin/guestbay.mjs'), ...args], { env, reject: false, timeout: 60_000 });
}
