// Which of this user's processes name a folder in their arguments. Every process Guestbay starts
// for a guest names that guest's runtime folder (QEMU its -pidfile and sockets, virtiofsd and
// swtpm their sockets), so a process that does, and that no record or journal accounts for, is
// a leftover a start must not run beside (it would hold the disks, or serve a stale share).
import { readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';

export interface ForeignProcess {
  pid: number;
  exe: string;
}

export function processesUsing(dir: string): ForeignProcess[] {
  const uid = process.getuid?.() ?? 0;
  const prefix = `${dir}/`;
  const found: ForeignProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      if (statSync(`/proc/${entry}`).uid !== uid) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!argv.some((a) => a.includes(prefix))) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state === 'Z' || state === 'X') continue;
      found.push({ pid, exe: readlinkSync(`/proc/${entry}/exe`).replace(/ \(deleted\)$/, '') });
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}
