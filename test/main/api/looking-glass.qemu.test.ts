// Looking Glass's client opened through the API (the guest page's button and the tray's item
// call it) on a real running guest, the tiny test guest with Looking Glass's IVSHMEM under TCG.
// The client is not in Debian 12 and there is no GPU here: a stub on the passthrough host's PATH
// writes down how it was started. A stopped guest is refused.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookingGlassShmFile } from '../../../src/main/qemu/plan/looking-glass';
import type { Reply } from '../../../src/shared/contract';
import { ensureTestGuest } from '../../guest/guest';
import { apiWorld } from '../../helpers/api';

const name = `lg${process.pid}`;
let w: Awaited<ReturnType<typeof apiWorld>>;
let stubRoot: string;
const argvFile = () => join(stubRoot, 'argv.txt');

beforeAll(async () => {
  stubRoot = await mkdtemp(join(tmpdir(), 'gb-lg-host-'));
  await mkdir(join(stubRoot, 'usr/bin'), { recursive: true });
  await writeFile(join(stubRoot, 'usr/bin/looking-glass-client'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${argvFile()}.tmp && mv ${argvFile()}.tmp ${argvFile()}\n`);
  await chmod(join(stubRoot, 'usr/bin/looking-glass-client'), 0o755);
  w = await apiWorld('gb-api-lg-', { passthroughHost: { root: stubRoot, env: { PATH: '/usr/bin' } } });
});
afterAll(async () => {
  await w.supervisor.stop(name, { force: true }).catch(() => {});
  await w.cleanup();
  await rm(stubRoot, { recursive: true, force: true });
  await rm(lookingGlassShmFile(name), { force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function ok(r: Reply): any {
  if (!r.ok) throw new Error(`${r.error.name}: ${r.error.message}`);
  return r.output;
}

describe('guests.lookingGlass on a running guest', () => {
  it('starts the client on the guest\'s shared memory, with the guest in its title; refused once it is stopped', async () => {
    const g = await ensureTestGuest();
    ok(await w.call('guests.create', { preset: 'linux', name, title: 'Gaming', diskSize: '64M', kernel: g.kernel, initrd: g.initrd, append: 'console=ttyS0 quiet panic=-1', overrides: { memoryMiB: 256, cores: 1, display: 'std' } }));
    const { config, revision } = ok(await w.call('guests.get', { name }));
    ok(await w.call('guests.update', { name, revision, config: { ...config, lookingGlass: { memory: 'shm', width: 640, height: 480 } } }));
    expect(ok(await w.call('guests.start', { name, headless: true }))).toMatchObject({ state: 'running' });

    const r = ok(await w.call('guests.lookingGlass', { name }));
    expect(r).toMatchObject({ binary: join(stubRoot, 'usr/bin/looking-glass-client'), args: ['-f', lookingGlassShmFile(name), 'win:title=Gaming — Looking Glass'] });
    expect(r.pid).toBeGreaterThan(0);
    await expect.poll(() => readFile(argvFile(), 'utf8').catch(() => ''), { timeout: 30_000 }).toBe(`-f\n${lookingGlassShmFile(name)}\nwin:title=Gaming — Looking Glass\n`);

    ok(await w.call('guests.stop', { name, force: true }));
    const refused = await w.call('guests.lookingGlass', { name });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(new RegExp(`^"${name}" is (stopped|crashed): Looking Glass shows a guest only while it runs\\.$`));
  });
});
