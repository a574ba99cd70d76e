// QEMU's option syntax in one place: `driver,key=value,…` with `,` doubled inside values
// (QEMU's own escaping; a path may hold commas), booleans as on/off, absent values skipped.
// No word with a control character leaves this file: the schema refuses them in a guest's
// settings already, and this is the last line for anything else (a runtime folder from the
// environment, a path from a firmware descriptor). QEMU copies some values into files it
// writes (user-net `smb=` into smb.conf), where a line break would start a new setting.
import { controlCharIn } from '../../shared/control-chars';
import { PlanError } from './plan/errors';

export type OptValue = string | number | boolean | undefined | null;

/** Escapes a value for QEMU's comma-separated option syntax. */
export function escapeOptValue(v: string): string {
  return v.replaceAll(',', ',,');
}

/** Refuses a word holding a control character; `where` names the option for the message. */
export function refuseControlChars(word: string, where: string, field?: string): void {
  const found = controlCharIn(word);
  if (found) {
    throw new PlanError(`The value for ${where} contains ${found}: QEMU would read what follows as a setting of its own, so Guestbay does not start it. Rename the file or folder it names.`, field);
  }
}

function render(v: Exclude<OptValue, undefined | null>): string {
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return escapeOptValue(String(v));
}

/**
 * `opts('virtio-blk-pci', { drive: 'd0', bootindex: 1 })` → `virtio-blk-pci,drive=d0,bootindex=1`.
 * The head (driver or type) may be omitted with `null` (e.g. for `-machine`-style lists).
 */
export function opts(head: string | null, props: Record<string, OptValue> = {}): string {
  if (head !== null) refuseControlChars(head, `QEMU's ${head}`);
  const parts: string[] = head === null ? [] : [escapeOptValue(head)];
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') refuseControlChars(v, `${k}= ${head === null ? 'in a QEMU option' : `of QEMU's ${head}`}`);
    parts.push(`${k}=${render(v)}`);
  }
  return parts.join(',');
}

/** An ordered argv under construction: each flag with its value, kept as separate words. */
export class Argv {
  readonly words: string[] = [];
  add(flag: string, value?: string): this {
    refuseControlChars(flag, 'a QEMU flag');
    if (value !== undefined) refuseControlChars(value, `QEMU's ${flag}`);
    this.words.push(flag);
    if (value !== undefined) this.words.push(value);
    return this;
  }
}
