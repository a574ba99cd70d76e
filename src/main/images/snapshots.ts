// Internal qcow2 snapshots of images at rest (no guest running on them): create, apply (revert),
// delete, across all of a guest's files at once. A failure half-way undoes what was done, so a
// snapshot exists in every file or in none.
import { basename } from 'node:path';
import { snapshotArgs } from '../qemu/qemu-img';
import { imageInfo } from './info';
import { ImageError, runQemuImg } from './run';

/** What a snapshot tag may be: it is shown, typed and passed to QEMU, so a plain word (one rule, the contract's). */
export { SNAPSHOT_TAG } from '../../shared/snapshot-tag';

export async function snapshotTags(path: string, qemuImg?: string): Promise<string[]> {
  return (await imageInfo(path, { format: 'qcow2', qemuImg })).snapshots.map((s) => s.name);
}

export async function createSnapshots(files: string[], tag: string, qemuImg?: string): Promise<void> {
  const done: string[] = [];
  try {
    for (const f of files) {
      if ((await snapshotTags(f, qemuImg)).includes(tag)) throw new ImageError(`${basename(f)} already has a snapshot named "${tag}"`);
    }
    for (const f of files) {
      await runQemuImg(snapshotArgs('create', f, tag), { qemuImg, what: `taking snapshot "${tag}" of ${basename(f)}` });
      done.push(f);
    }
  } catch (e) {
    for (const f of done) await runQemuImg(snapshotArgs('delete', f, tag), { qemuImg, what: 'undoing' }).catch(() => {});
    throw e;
  }
}

/** Reverts every file to `tag`. Each must have it: checked for all before any is changed. */
export async function applySnapshots(files: string[], tag: string, qemuImg?: string): Promise<void> {
  for (const f of files) {
    if (!(await snapshotTags(f, qemuImg)).includes(tag)) throw new ImageError(`${basename(f)} has no snapshot named "${tag}"`);
  }
  for (const f of files) await runQemuImg(snapshotArgs('apply', f, tag), { qemuImg, what: `reverting ${basename(f)} to "${tag}"` });
}

/** Deletes `tag` wherever it is (a file that lacks it is skipped). */
export async function deleteSnapshots(files: string[], tag: string, qemuImg?: string): Promise<void> {
  for (const f of files) {
    if (!(await snapshotTags(f, qemuImg)).includes(tag)) continue;
    await runQemuImg(snapshotArgs('delete', f, tag), { qemuImg, what: `deleting snapshot "${tag}" of ${basename(f)}` });
  }
}
