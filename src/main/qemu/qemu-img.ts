// qemu-img: create disk images and read their facts (always through --output=json).
import { execa } from 'execa';

export interface ImageInfo {
  filename: string;
  format: string;
  virtualSize: number;
  actualSize: number;
  backingFile?: string;
}

export async function createImage(path: string, format: 'qcow2' | 'raw', sizeBytes: number, qemuImg = 'qemu-img'): Promise<void> {
  // Without `-o` defaults qcow2 uses 64 KiB clusters and lazy refcounts off: safe defaults.
  await execa(qemuImg, ['create', '-q', '-f', format, path, String(sizeBytes)], { timeout: 30_000 });
}

export async function imageInfo(path: string, qemuImg = 'qemu-img'): Promise<ImageInfo> {
  // -U: read even while a running guest holds the image's lock.
  const { stdout } = await execa(qemuImg, ['info', '-U', '--output=json', path], { timeout: 30_000 });
  const j = JSON.parse(stdout) as Record<string, unknown>;
  return {
    filename: String(j.filename),
    format: String(j.format),
    virtualSize: Number(j['virtual-size']),
    actualSize: Number(j['actual-size'] ?? 0),
    backingFile: typeof j['backing-filename'] === 'string' ? (j['backing-filename'] as string) : undefined,
  };
}

/** `qemu-img convert` to qcow2, without the binary: run here, or printed by `guestbay cmdline`. */
export function convertToQcow2Args(from: string, fromFormat: 'raw' | 'qcow2', to: string): string[] {
  // An explicit source format: probing a raw file's format is how images get misread.
  return ['convert', '-q', '-f', fromFormat, '-O', 'qcow2', from, to];
}

/** Per-guest UEFI variable store from the firmware's template, as qcow2 (snapshots include it). */
export async function convertToQcow2(from: string, fromFormat: 'raw' | 'qcow2', to: string, qemuImg = 'qemu-img'): Promise<void> {
  await execa(qemuImg, convertToQcow2Args(from, fromFormat, to), { timeout: 30_000 });
}
