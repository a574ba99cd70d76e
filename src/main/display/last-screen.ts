// The last picture of each guest's screen, kept in its folder (`last-screen.png`), so a stopped
// or saved guest shows what it last looked like instead of a black box. Small by construction
// (a thumbnail, at most 512 KiB and 640×480), written atomically (temp file, fsync, rename),
// and at most once every few seconds per guest: the library polls, the disk should not notice.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readPngHeader } from '../media';
import { writeFileAtomic } from '../vm/atomic-file';
import { readBounded } from '../host/bounded-read';

export const LAST_SCREEN_FILE = 'last-screen.png';
export const MAX_LAST_SCREEN_BYTES = 512 * 1024;
const MAX_W = 640;
const MAX_H = 480;

/** Why this PNG may not be kept, or null when it may. */
export function lastScreenProblem(png: Uint8Array): string | null {
  if (png.length > MAX_LAST_SCREEN_BYTES) return `a thumbnail is at most ${MAX_LAST_SCREEN_BYTES / 1024} KiB`;
  let h;
  try {
    h = readPngHeader(png);
  } catch (e) {
    return `not a PNG: ${(e as Error).message}`;
  }
  if (h.width < 1 || h.height < 1 || h.width > MAX_W || h.height > MAX_H) return `a thumbnail is at most ${MAX_W}×${MAX_H} pixels`;
  return null;
}

export class LastScreens {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly vmDir: (name: string) => string,
    private readonly minIntervalMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keeps `png` as `name`'s last screen unless one was written moments ago (or `force`). */
  async keep(name: string, png: Uint8Array, o: { force?: boolean } = {}): Promise<boolean> {
    if (lastScreenProblem(png)) return false;
    const last = this.written.get(name) ?? -Infinity;
    if (!o.force && this.now() - last < this.minIntervalMs) return false;
    this.written.set(name, this.now());
    await writeFileAtomic(join(this.vmDir(name), LAST_SCREEN_FILE), png, 0o600);
    return true;
  }

  async read(name: string): Promise<{ png: Buffer; at: string } | null> {
    const file = join(this.vmDir(name), LAST_SCREEN_FILE);
    try {
      // Written at most 512 KiB by us; read no more than that whatever is there now.
      const [png, st] = await Promise.all([readBounded(file, MAX_LAST_SCREEN_BYTES), stat(file)]);
      if (lastScreenProblem(png)) return null;
      return { png, at: st.mtime.toISOString() };
    } catch {
      return null;
    }
  }
}
