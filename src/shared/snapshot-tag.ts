// A snapshot's name: what qemu-img and QMP accept, and what a person can type back. Apart from
// the contract (contract-disks.ts) so the image code reads it without building the contract's
// schemas (every `guestbay start` loads the image code; the schemas cost ~1 ms to build).
export const SNAPSHOT_TAG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
