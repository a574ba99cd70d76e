// A guest's logs never fill the host's disk. QEMU writes the serial log itself (the chardev's
// logfile, opened with O_APPEND: `logappend=on`), so it records everything whether a Guestbay
// process is attached or not. Guestbay bounds it from outside: each start moves the previous
// run's log to `<name>.1.log` (one run kept), and every Guestbay process that holds or looks at
// a running guest copies a log past its cap to `<name>.1.log` and truncates it; QEMU's next
// write, being an append, lands at the new end. Limits (docs/decisions.md): bytes written
// between the copy and the truncation are lost, and while no Guestbay process looks, the log
// grows until one does.
import { copyFile, rename, stat, truncate } from 'node:fs/promises';

/** What a running guest's serial log may grow to before it is rotated. */
export const LOG_MAX_BYTES = 16 * 2 ** 20;

/** `serial.log` → `serial.1.log`: the rotated copy, which `guestbay logs` lists too. */
export function previousLog(file: string): string {
  return file.endsWith('.log') ? `${file.slice(0, -4)}.1.log` : `${file}.1`;
}

/** At a start: the previous run's log becomes the rotated one (replacing an older one). */
export async function rotateAtStart(file: string): Promise<void> {
  await rename(file, previousLog(file)).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

/** While the guest runs: a log past `maxBytes` is copied aside and emptied. */
export async function capLog(file: string, maxBytes = LOG_MAX_BYTES): Promise<boolean> {
  const st = await stat(file).catch(() => null);
  // Only a regular file is ever copied or truncated (never what a link points to).
  if (!st?.isFile() || st.size <= maxBytes) return false;
  const tmp = `${previousLog(file)}.tmp`;
  await copyFile(file, tmp);
  await rename(tmp, previousLog(file));
  await truncate(file, 0);
  return true;
}
