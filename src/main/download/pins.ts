// The one data file of what Guestbay downloads from where, and the SHA-256 each must have.
// A pin with `sha256: null` has no hash anyone could check on the machines this was built on:
// the first complete download's hash is recorded and shown to the user (trust on first use,
// trust.ts), and every later download or reuse must match it. OpenCore keeps its pin beside its
// release logic (macos/opencore/release.ts: a boot loader is never used unpinned).

export interface DownloadPin {
  /** What it is, for messages. */
  what: string;
  version: string;
  /** File name in the cache. */
  file: string;
  /** An address that never changes under this pin (a versioned archive, not "latest"). */
  url: string;
  sha256: string | null;
  /** Stops a runaway server. */
  maxBytes: number;
}

export const VIRTIO_WIN_PIN: DownloadPin = {
  what: 'the virtio-win drivers ISO',
  version: '0.1.285',
  file: 'virtio-win-0.1.285.iso',
  // The Fedora project's archive keeps every release under its version: the URL never changes.
  url: 'https://fedorapeople.org/groups/virt/virtio-win/direct-downloads/archive-virtio/virtio-win-0.1.285-1/virtio-win-0.1.285.iso',
  // Not fetched here (no route to fedorapeople.org from the build machines); the same hash of this
  // exact URL is published by two independent projects that pin it:
  //   github.com/Pumba98/proxmox-packer-templates windows-11.pkrvars.hcl (iso_checksum), and
  //   github.com/Stronautt/orthogonals internal/artifacts/artifacts.go (VirtioWin.SHA256).
  // A mirror or a test passes its own (`--virtio-win-sha256`), or "tofu" for trust on first use.
  sha256: 'e14cf2b94492c3e925f0070ba7fdfedeb2048c91eea9c5a5afb30232a3976331',
  maxBytes: 2 * 2 ** 30,
};

/** Windows ISOs from Microsoft: the hash comes from Microsoft's page when it publishes one. */
export const WINDOWS_ISO_MAX_BYTES = 12 * 2 ** 30;
