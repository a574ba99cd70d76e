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
      "mkdir -p -m 700 '/run/gb/my guest'",
      "[ -e '/vms/it'\\''s/efivars.qcow2' ] || qemu-img convert -q -f raw -O qcow2 /usr/share/OVMF/OVMF_VARS_4M.fd '/vms/it'\\''s/efivars.qcow2'",
    ]);
    expect(convertToQcow2Args('/a', 'raw', '/b')).toEqual(['convert', '-q', '-f', 'raw', '-O', 'qcow2', '/a', '/b']);
  });
});
