// Control characters never belong in a path or a name that reaches QEMU or a sidecar: QEMU
// writes some values into files of its own (a user-net `smb=` folder becomes a `path=` line
// of the smb.conf it hands to smbd), so a line break in a folder's name would add settings
// of the user's choosing there (`root preexec = …` runs a command as the user). A tab or an
// escape in a title reaches terminals through `guestbay list`. All of C0 (U+0000–U+001F), DEL
// (U+007F) and C1 (U+0080–U+009F) are refused, everywhere, with the same words.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

const NAMES: Record<string, string> = {
  '\n': 'a line break',
  '\r': 'a carriage return',
  '\t': 'a tab',
  '\0': 'a NUL character',
  '\u001b': 'an escape character',
  '\u007f': 'a delete character (DEL)',
  '\u0085': 'a next-line character (NEL)',
};

/** The first control character in `s`, in words ("a line break"), or null. */
export function controlCharIn(s: string): string | null {
  const m = CONTROL.exec(s);
  if (!m) return null;
  const c = m[0];
  return NAMES[c] ?? `the control character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What the value is, for the message: each kind says what to do instead. */
export type TextKind = 'path' | 'folder' | 'title' | 'label' | 'kernel-args' | 'argument' | 'value';

const SETTING = 'QEMU and its helpers would read what follows as a setting of its own';
const SHOWN = 'it would reach terminals and windows as a command, not as text';

const ADVICE: Record<TextKind, { subject: string; why: string; fix: string }> = {
  path: { subject: 'A path', why: SETTING, fix: 'Rename the file, or choose another one.' },
  folder: { subject: 'A shared folder’s path', why: SETTING, fix: 'Rename the folder, or share another one.' },
  title: { subject: 'A title', why: SHOWN, fix: 'Use plain text on one line.' },
  label: { subject: 'A label', why: SHOWN, fix: 'Use plain text on one line.' },
  'kernel-args': { subject: 'Kernel arguments', why: SETTING, fix: 'Separate them with spaces, on one line.' },
  argument: { subject: 'An extra QEMU argument', why: SETTING, fix: 'Remove the character.' },
  value: { subject: 'This value', why: SETTING, fix: 'Remove the character.' },
};

/** The refusal for `s`, in plain words, or null when it has no control character. */
export function controlCharMessage(s: string, kind: TextKind): string | null {
  const found = controlCharIn(s);
  if (!found) return null;
  const { subject, why, fix } = ADVICE[kind];
  return `${subject} cannot contain ${found} or any other control character: ${why}. ${fix}`;
}
