// The host's own keyboard and mouse read by QEMU straight from their evdev nodes (input-linux):
// input with no emulation lag, and no USB controller handed over. Both sides press the toggle
// keys (left and right Ctrl by default) to move keyboard and mouse between host and guest;
// grab_all on the keyboard moves the mouse with it.
import { opts } from '../qemu-opts';
import type { FamilyInput } from './types';

export const EVDEV_KEYBOARD_ID = 'evdev-kbd';
export const EVDEV_MOUSE_ID = 'evdev-mouse';

export function addEvdev(i: FamilyInput): void {
  const e = i.config.input.evdev;
  if (!e || (!e.keyboard && !e.mouse)) return;
  if (e.keyboard) {
    i.argv.add('-object', opts('input-linux', { id: EVDEV_KEYBOARD_ID, evdev: e.keyboard, grab_all: 'on', repeat: 'on', 'grab-toggle': e.toggle }));
  }
  if (e.mouse) i.argv.add('-object', opts('input-linux', { id: EVDEV_MOUSE_ID, evdev: e.mouse, 'grab-toggle': e.toggle }));
}
