// The contract's calls for the guest tools disk and the shared folders' mount state in the guest
// (issue 17, items 2 and 4), spread into `calls` in contract.ts, in a file of their own so they
// merge cleanly with other groups of calls.
import { z } from 'zod';
import { shareMethod, vmName } from './vm-config';

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const shareMountStatus = z.object({
  tag: z.string(),
  method: shareMethod,
  /** Mounted in the guest as its agent reports; null when no agent answers (nobody can tell). */
  mounted: z.boolean().nullable(),
  /** Where the guest has it mounted, when it does. */
  mountpoint: z.string().nullable(),
  /** Where the guest tools mount it (/mnt/guestbay, ~/Guestbay, a drive letter). */
  target: z.string(),
  /** The one line that mounts it now, for this guest's OS and the share's method. */
  command: z.string(),
});
export type ShareMountStatus = z.infer<typeof shareMountStatus>;

export const sharedFoldersStatus = z.object({
  running: z.boolean(),
  /** An agent answered (so `mounted` is known). */
  agent: z.boolean(),
  family: z.enum(['linux', 'windows', 'macos', 'other']),
  shares: z.array(shareMountStatus),
});
export type SharedFoldersStatus = z.infer<typeof sharedFoldersStatus>;

export const guestToolsCalls = {
  /**
   * Makes the guest's tools disk (guest-tools.img in its folder: setup for Linux, macOS and
   * Windows carrying this guest's shares) and, with `insert`, puts it in as a read-only USB
   * stick: at once on a running guest, at the next start otherwise.
   */
  'guests.tools': call(
    z.object({ name: vmName, insert: z.boolean().default(false) }),
    z.object({ path: z.string(), files: z.array(z.string()), inserted: z.boolean(), appliedLive: z.array(z.string()), message: z.string() }),
  ),
  /** Each shared folder of the guest: mounted in it (through its agent) or the line that mounts it. */
  'guests.sharedFolders': call(z.object({ name: vmName }), sharedFoldersStatus),
};
