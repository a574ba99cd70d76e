// A stand-in virtio-win disc built with xorriso: the real layout's driver folders (w10, w11),
// the guest agent's MSI and the guest tools' installer as named files, nothing that runs; some
// bulk so a download can be watched, dropped and resumed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** Where the pinned release lies in the Fedora project's archive (pins.ts), for a local stand-in server. */
export const VIRTIO_WIN_ARCHIVE_PATH = '/archive-virtio/virtio-win-0.1.285-1/virtio-win-0.1.285.iso';

export async function buildVirtioWinIso(out: string, o: { bulkBytes?: number } = {}): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'gb-virtio-'));
  try {
    for (const d of ['viostor', 'vioscsi', 'NetKVM', 'Balloon', 'viofs', 'vioserial']) {
      for (const v of ['w10', 'w11']) {
        await mkdir(join(root, d, v, 'amd64'), { recursive: true });
        await writeFile(join(root, d, v, 'amd64', `${d.toLowerCase()}.inf`), `; stand-in ${d}`);
      }
    }
    await mkdir(join(root, 'guest-agent'), { recursive: true });
    await writeFile(join(root, 'guest-agent', 'qemu-ga-x86_64.msi'), 'stand-in');
    await writeFile(join(root, 'virtio-win-guest-tools.exe'), Buffer.alloc(o.bulkBytes ?? 2 * 2 ** 20, 0x5a));
    await execa('xorriso', ['-outdev', out, '-volid', 'virtio-win-0.1.285', '-map', root, '/'], { stdin: 'ignore' });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
