// `guestbay cmdline`'s preparation lines: the same qemu-img command runPrepare runs
// (qemu-img.ts builds it for both), quoted for a shell. cli.qemu.test.ts pastes them into bash.
import { describe, expect, it } from 'vitest';
import { convertToQcow2Args } from '../../../src/main/qemu/qemu-img';
import { prepareAsShell } from '../../../src/main/vm/prepare';

describe('prepareAsShell', () => {
  it('prints the folders and the UEFI variable store copy as runPrepare makes them', () => {
    const lines = prepareAsShell({
      prepare: [
        { kind: 'dir', path: '/run/gb/my guest', mode: 0o700, why: '' },
        { kind: 'vars', from: '/usr/share/OVMF/OVMF_VARS_4M.fd', format: 'raw', to: "/vms/it's/efivars.qcow2", why: '' },
        { kind: 'exists', path: '/vms/g/disk.qcow2', what: 'disk "system"', hint: '' },
      ],
    });
    expect(lines).toEqual([
      "(umask 077 && mkdir -p '/run/gb/my guest')",
      "[ -e '/vms/it'\\''s/efivars.qcow2' ] || qemu-img convert -q -f raw -O qcow2 /usr/share/OVMF/OVMF_VARS_4M.fd '/vms/it'\\''s/efivars.qcow2'",
    ]);
    expect(prepareAsShell({ prepare: [{ kind: 'dir', path: '/a', mode: 0o750, why: '' }] })).toEqual(['(umask 027 && mkdir -p /a)']);
    expect(convertToQcow2Args('/a', 'raw', '/b')).toEqual(['convert', '-q', '-f', 'raw', '-O', 'qcow2', '/a', '/b']);
  });

  it('gives the parents it creates the mode too, as Guestbay does (a pasted command must not leave the runtime folder open to others)', async () => {
    const { mkdtemp, rm, stat } = await import('node:fs/promises');
    const { execa } = await import('execa');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const root = await mkdtemp(join(tmpdir(), 'gb-prep-'));
    try {
      const [line] = prepareAsShell({ prepare: [{ kind: 'dir', path: join(root, 'run', 'guestbay', 'g'), mode: 0o700, why: '' }] });
      await execa('bash', ['-c', `umask 022; ${line}`]);
      for (const d of ['run', 'run/guestbay', 'run/guestbay/g']) expect((await stat(join(root, d))).mode & 0o777, d).toBe(0o700);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
