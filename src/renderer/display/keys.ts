// Key combinations the host would keep for itself (Ctrl+Alt+Del, Ctrl+Alt+F1–F12…), sent from
// a menu instead. X11 keysyms and DOM codes, as noVNC's sendKey takes them (QEMU maps the codes
// to scancodes, so the guest's keyboard layout does not matter).
export interface Key {
  keysym: number;
  code: string;
}

const CTRL: Key = { keysym: 0xffe3, code: 'ControlLeft' };
const ALT: Key = { keysym: 0xffe9, code: 'AltLeft' };
const fn = (n: number): Key => ({ keysym: 0xffbe + n - 1, code: `F${n}` });

export interface Combo {
  id: string;
  label: string;
  keys: Key[];
}

export const COMBOS: Combo[] = [
  { id: 'ctrl-alt-backspace', label: 'Ctrl+Alt+Backspace', keys: [CTRL, ALT, { keysym: 0xff08, code: 'Backspace' }] },
  ...Array.from({ length: 12 }, (_, i) => ({ id: `ctrl-alt-f${i + 1}`, label: `Ctrl+Alt+F${i + 1}`, keys: [CTRL, ALT, fn(i + 1)] })),
  { id: 'super', label: 'Super (Windows key)', keys: [{ keysym: 0xffeb, code: 'MetaLeft' }] },
  { id: 'print', label: 'Print Screen', keys: [{ keysym: 0xff61, code: 'PrintScreen' }] },
  { id: 'alt-tab', label: 'Alt+Tab', keys: [ALT, { keysym: 0xff09, code: 'Tab' }] },
];

/** Presses the keys in order and releases them in reverse, as a person would. */
export function sendCombo(send: (keysym: number, code: string, down: boolean) => void, keys: Key[]): void {
  for (const k of keys) send(k.keysym, k.code, true);
  for (const k of [...keys].reverse()) send(k.keysym, k.code, false);
}
