// The host's keyboards and mice for evdev passthrough: the links under /dev/input/by-id, whose
// names stay the same across boots and replugs (…-event-kbd, …-event-mouse), unlike eventN.
import { readdir } from 'node:fs/promises';
import type { InputDevice } from '../../shared/contract-passthrough';
import type { ProbeContext } from './options';

export const INPUT_BY_ID = '/dev/input/by-id';

/** `usb-Logitech_USB_Receiver-if02-event-mouse` → `Logitech USB Receiver` (interface 2 kept when a device has several). */
export function inputDeviceName(link: string): string {
  const m = /^(?:usb|bluetooth|platform|pci|i2c|serio)-(.+?)(?:-if(\d+))?-event-(?:kbd|mouse)$/.exec(link);
  const base = (m?.[1] ?? link.replace(/-event-(kbd|mouse)$/, '')).replace(/_/g, ' ').trim();
  return m?.[2] && m[2] !== '00' ? `${base} (interface ${Number(m[2])})` : base;
}

/** Keyboards first, then mice, each sorted by name. Only links QEMU's input-linux takes (event devices). */
export async function listInputDevices(ctx: Pick<ProbeContext, 'host'>): Promise<InputDevice[]> {
  const names = await readdir(ctx.host(INPUT_BY_ID)).catch(() => [] as string[]);
  const out: InputDevice[] = [];
  for (const n of names) {
    const kind = n.endsWith('-event-kbd') ? 'keyboard' : n.endsWith('-event-mouse') ? 'mouse' : null;
    // The config's own rule for a device path (vm-config.ts): nothing else could be saved.
    if (!kind || !/^[A-Za-z0-9._:@+-]+$/.test(n)) continue;
    out.push({ path: `${INPUT_BY_ID}/${n}`, name: inputDeviceName(n), kind });
  }
  return out.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'keyboard' ? -1 : 1));
}
