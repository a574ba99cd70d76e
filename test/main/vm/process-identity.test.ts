// identityState names a process by pid + start time within this boot (+ exe and uid where they
// can be read). A process being torn down (killed, its memory already released) has no readable
// exe but is not a zombie yet: it is still the same process, so a forced end waits for it.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { identify, identityState } from '../../../src/main/vm/process-info';

/** A live process whose /proc/PID/exe cannot be read (a kernel thread: kthreadd where it is visible), as a dying one's cannot. */
function exeless(): { pid: number; startTicks: number } | null {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      readlinkSync(`/proc/${name}/exe`);
      continue;
    } catch {
      /* no exe: a candidate */
    }
    try {
      const s = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      if (f[0] !== 'Z' && f[0] !== 'X') return { pid: Number(name), startTicks: Number(f[19]) };
    } catch {
      /* gone meanwhile */
    }
  }
  return null;
}

const found = exeless();
const me = identify(process.pid)!;

describe('a process known by its identity', () => {
  it('is the same process while it runs, and another when its start time differs', () => {
    expect(identityState(me)).toBe('same');
    expect(identityState({ ...me, startTicks: me.startTicks + 1 })).toBe('other');
  });

  it.skipIf(!found)('without a readable exe (as while it is torn down) it is still the same process when its start time matches', () => {
    const id = { pid: found!.pid, startTicks: found!.startTicks, bootId: me.bootId, exe: '/usr/bin/qemu-system-x86_64', uid: 0 };
    expect(identityState(id)).toBe('same');
    expect(identityState({ ...id, startTicks: id.startTicks + 1 })).toBe('other');
  });
});
