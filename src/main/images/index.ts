// The one module over qemu-img: every image Guestbay creates, reads, checks, resizes, converts,
// compacts, snapshots or commits goes through here (argument lists: ../qemu/qemu-img.ts).
// It knows files, not guests: the rules about guests (in use, bases) live in ../disks/.
export { ImageError, runQemuImg } from './run';
export { createImage, partialPath, type CreatedImage, type CreateImageOptions } from './create';
export { imageInfo, imageChain, checkImage, type CheckResult, type ImageInfo, type SnapshotInfo } from './info';
export { resizeImage, shrinkWarning, ShrinkNotConfirmedError } from './resize';
export { convertImage, compactImage, ensureSpace, foreignImageProblem, type ConvertOptions } from './convert';
export { applySnapshots, createSnapshots, deleteSnapshots, snapshotTags, SNAPSHOT_TAG } from './snapshots';
export { commitImage } from './commit';
export { isBtrfs, BTRFS_MAGIC } from './nocow';
export { convertToQcow2 } from './vars';
