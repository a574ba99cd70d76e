// An overlay's changes written down into its backing file (qemu-img commit), with progress.
import { basename } from 'node:path';
import { commitArgs } from '../qemu/qemu-img';
import { runQemuImg } from './run';

export async function commitImage(path: string, o: { onProgress?: (f: number) => void; signal?: AbortSignal; qemuImg?: string } = {}): Promise<void> {
  // The overlay is emptied afterwards (no -d): what it held now lives in the base.
  await runQemuImg(commitArgs(path, { progress: Boolean(o.onProgress) }), { qemuImg: o.qemuImg, onProgress: o.onProgress, signal: o.signal, what: `committing ${basename(path)} into its base` });
  o.onProgress?.(1);
}
