// Looking at processes from a test, independently of the code under test: who uses a folder,
// and a process's identity as a runtime record keeps it.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface Proc {
  pid: number;
  ppid: number;
  exe: string;
}

function stat(pid: number): string[] | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Live (not zombie) processes whose arguments name something inside `dir`. */
export function procsUsing(dir: string): Proc[] {
  const out: Proc[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const argv = readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (!argv.some((a) => a.includes(`${dir}/`))) continue;
      const f = stat(Number(e));
      if (!f || f[0] === 'Z' || f[0] === 'X') continue;
      out.push({ pid: Number(e), ppid: Number(f[1]), exe: readlinkSync(`/proc/${e}/exe`) });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** Present and not a zombie. */
export function alive(pid: number): boolean {
  const f = stat(pid);
  return !!f && f[0] !== 'Z' && f[0] !== 'X';
}

/** The identity a runtime record keeps for a process (start ticks, boot, executable, uid). */
export function identityOf(pid: number) {
  const f = stat(pid)!;
  const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return { pid, startTicks: Number(f[19]), bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(), exe: readlinkSync(`/proc/${pid}/exe`), uid };
}

/** The processes in `procs` that are not `roots` or descended from them. */
export function strangers(procs: Proc[], roots: number[]): Proc[] {
  const ours = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) if (!ours.has(p.pid) && ours.has(p.ppid)) (ours.add(p.pid), (grew = true));
  }
  return procs.filter((p) => !ours.has(p.pid));
}
