// The line diff of two QEMU commands (as `guests.pending` gives it) laid out side by side: lines
// both have on one row; a run of removed lines next to the run of added lines that replaced it.
import type { PendingChanges } from '../../shared/contract';

export type Row = { left?: string; right?: string; kind: 'same' | 'changed' | 'removed' | 'added' };

export function sideBySide(lines: PendingChanges['lines']): Row[] {
  const rows: Row[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.op === 'same') {
      rows.push({ left: l.text, right: l.text, kind: 'same' });
      i++;
      continue;
    }
    const removed: string[] = [];
    const added: string[] = [];
    while (i < lines.length && lines[i]!.op !== 'same') {
      const x = lines[i]!;
      (x.op === 'removed' ? removed : added).push(x.text);
      i++;
    }
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      const left = removed[k];
      const right = added[k];
      rows.push({ left, right, kind: left !== undefined && right !== undefined ? 'changed' : left !== undefined ? 'removed' : 'added' });
    }
  }
  return rows;
}
