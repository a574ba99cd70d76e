// Issue 12 item 17, on the real daemons: Debian 12's C virtiofsd (QEMU 7.2 here) was shown as
// ready because it answered --help, yet fails for a user without root; the probe now starts it
// the way a guest's start will. Tests and CI run as root, so the probe runs here as an
// unprivileged uid (setpriv, no groups, no capabilities) with a home it can write: the C daemon
// must come out "not working" with its reason, and the Rust daemon in the QEMU 10 chroot as it
// really behaves for such a user there.
import { chown, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostCaps, type HostCaps } from '../../../src/shared/host-caps';
import { probeHost } from '../../../src/main/host/probe';
import { ROOT } from '../../helpers/cli';

const NOBODY = 65534;
const root = process.getuid?.() === 0;
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'gb-vfsuser-'));
  for (const d of ['cache', 'config', 'data', 'run']) await mkdir(join(home, d));
  if (root) for (const d of ['', 'cache', 'config', 'data', 'run']) await chown(join(home, d), NOBODY, NOBODY);
  // The user below cannot write the bundle: build it now if a source is newer.
  const cli = await import(pathToFileURL(join(ROOT, 'scripts/build-cli.mjs')).href);
  if (cli.bundleIsStale()) await cli.buildCli();
});
afterAll(() => rm(home, { recursive: true, force: true }));

/** `guestbay probe` as a user without privileges (this process's user when it is not root). */
async function probeAsUser(): Promise<HostCaps> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: join(home, 'cache'), XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: join(home, 'run') };
  const cmd = [process.execPath, join(ROOT, 'bin/guestbay.mjs'), 'probe', '--json', '--no-cache'];
  const r = root
    ? await execa('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--inh-caps=-all', ...cmd], { env, extendEnv: false, reject: false, cwd: home })
    : await execa(cmd[0]!, cmd.slice(1), { env, extendEnv: false, reject: false, cwd: home });
  expect(r.exitCode, r.stderr).toBe(0);
  return hostCaps.parse(JSON.parse(r.stdout));
}

/** The daemon started by hand as that user, with the probe's sandbox: does it listen? */
async function listensAsUser(binary: string, sandbox: string): Promise<boolean> {
  const dir = join(home, `by-hand-${sandbox}`);
  await mkdir(join(dir, 'shared'), { recursive: true });
  if (root) for (const d of [dir, join(dir, 'shared')]) await chown(d, NOBODY, NOBODY);
  const args = ['--socket-path', join(dir, 's.sock'), '--shared-dir', join(dir, 'shared'), '--sandbox', sandbox, '--log-level', 'info'];
  const p = root ? execa('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', binary, ...args], { reject: false, all: true }) : execa(binary, args, { reject: false, all: true });
  const seen = await new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), 5000);
    p.all?.on('data', (d: Buffer) => /Waiting for vhost-user socket connection/.test(d.toString()) && (clearTimeout(t), resolve(true)));
    void p.then(() => (clearTimeout(t), resolve(false)));
  });
  p.kill('SIGKILL');
  await p;
  return seen;
}

describe('virtiofsd, probed as a user without root', () => {
  it('is reported as it really behaves: the C daemon not working (with its reason), the Rust one with a sandbox that works', async () => {
    const caps = await probeAsUser();
    const vfs = caps.virtiofsd;
    expect(vfs).not.toBeNull();
    const finding = caps.findings.find((f) => f.id === 'virtiofsd')!;
    if (vfs!.flavour === 'c') {
      // Debian 12: its pid file goes under root's /run/virtiofsd, its namespace sandbox needs root.
      expect(vfs).toMatchObject({ works: false, reason: expect.stringMatching(/Permission denied|Operation not permitted|setgroups/) });
      expect(finding).toMatchObject({ status: 'warning', title: 'virtiofsd cannot start here', detail: expect.stringContaining(vfs!.reason!) });
    } else {
      // The Rust daemon runs as a user; `chroot` is root's alone, and `namespace` needs user
      // namespaces (refused inside a chroot such as the QEMU 10 test environment).
      expect(vfs!.works).toBe(true);
      expect(vfs!.sandbox).not.toBe('chroot');
      expect(await listensAsUser(vfs!.path, vfs!.sandbox!)).toBe(true);
      if (vfs!.sandbox !== 'namespace') expect(await listensAsUser(vfs!.path, 'namespace')).toBe(false);
      expect(finding.status).toBe('ok');
    }
  });

  it('as root (how the tests and CI run) the same daemon works', async () => {
    if (!root) return;
    const caps = await probeHost({ useCache: false, env: { ...process.env, XDG_CACHE_HOME: join(home, 'root-cache') } });
    expect(caps.virtiofsd).toMatchObject({ works: true, reason: null });
  });
});
