// Issue 12 item 21: what runs as root (pkexec, and tee under it, for the macOS ignore_msrs
// fix) is found by absolute path in the system folders, never through $PATH, and only when
// root owns it and nobody else can write it.
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_DIRS, systemBinary } from '../../../src/main/host/system-binary';
import { applyIgnoreMsrsNow } from '../../../src/main/macos/preflight';

const root = process.getuid?.() === 0;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gb-sysbin-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function program(folder: string, name: string, o: { mode?: number; uid?: number } = {}) {
  await mkdir(join(dir, folder), { recursive: true });
  const p = join(dir, folder, name);
  await writeFile(p, '#!/bin/sh\nexit 0\n');
  await chmod(p, o.mode ?? 0o755);
  if (o.uid !== undefined) await chown(p, o.uid, o.uid);
  return p;
}

describe('systemBinary', () => {
  it('looks only in the system folders: a tee early on $PATH is not the one used', async () => {
    const fake = await program('on-path', 'tee');
    const path = process.env.PATH;
    process.env.PATH = `${join(dir, 'on-path')}:${path}`;
    try {
      const tee = await systemBinary('tee');
      expect(tee).not.toBe(fake);
      expect(SYSTEM_DIRS.map((d) => join(d, 'tee'))).toContain(tee);
    } finally {
      process.env.PATH = path;
    }
  });

  it('takes the first program that root owns and nobody else can write; says what it refused', async () => {
    if (!root) return; // making files owned by root or by another user needs root
    await program('user', 'pkexec', { uid: 65534 });
    await program('open', 'pkexec', { mode: 0o777 });
    const good = await program('sys', 'pkexec');
    const dirs = ['user', 'open', 'sys'].map((d) => join(dir, d));
    expect(await systemBinary('pkexec', dirs)).toBe(good);
    await expect(systemBinary('pkexec', dirs.slice(0, 2))).rejects.toThrow(/pkexec was not found in .*; refused: .*user\/pkexec \(not owned by root\), .*open\/pkexec \(writable by others\)/);
    await expect(systemBinary('../sys/pkexec', dirs)).rejects.toThrow(/is a path/);
  });

  it('the ignore_msrs fix runs pkexec and tee by those absolute paths', async () => {
    await program('fix', 'pkexec');
    await program('fix', 'tee');
    const calls: [string, string[], string][] = [];
    await applyIgnoreMsrsNow(async (file, args, input) => calls.push([file, args, input]), [join(dir, 'fix')]);
    const pkexec = join(dir, 'fix', 'pkexec');
    const tee = join(dir, 'fix', 'tee');
    expect(calls).toEqual([
      [pkexec, [tee, '/sys/module/kvm/parameters/ignore_msrs'], '1\n'],
      [pkexec, [tee, '/sys/module/kvm/parameters/report_ignored_msrs'], '0\n'],
    ]);
    // Without pkexec in the system folders nothing runs.
    const none: unknown[] = [];
    await expect(applyIgnoreMsrsNow(async (...a) => none.push(a), [join(dir, 'empty')])).rejects.toThrow(/pkexec was not found/);
    expect(none).toEqual([]);
  });
});
