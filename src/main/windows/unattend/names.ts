// The names Windows accepts: a computer name by NetBIOS rules, a local account's user name.

/**
 * A computer name from the guest's name: letters, digits and hyphens, at most 15 characters
 * (NetBIOS), not only digits, no hyphen at either end; upper case as Windows shows it.
 */
export function computerNameFrom(guest: string): string {
  let n = guest
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 15)
    .replace(/^-+|-+$/g, '')
    .toUpperCase();
  if (!n) n = 'GUESTBAY';
  if (/^\d+$/.test(n)) n = `PC-${n}`.slice(0, 15);
  return n;
}

/** Names Windows reserves for accounts (and "Guestbay" setup would otherwise collide with none). */
const RESERVED = new Set(['administrator', 'guest', 'defaultaccount', 'wdagutilityaccount', 'system', 'none', 'users', 'administrators']);

/** A field error for a local account name, or null when Windows takes it. */
export function userNameProblem(user: string): string | null {
  if (!user) return 'an account name is needed';
  if (user.length > 20) return 'a Windows account name is at most 20 characters';
  if (/["/\\[\]:;|=,+*?<>@]/.test(user)) return 'a Windows account name cannot contain " / \\ [ ] : ; | = , + * ? < > @';
  if (/[\u0000-\u001f\u007f]/.test(user)) return 'a Windows account name cannot contain control characters';
  if (/^[. ]+$/.test(user) || user.endsWith('.')) return 'a Windows account name cannot be only dots and spaces, nor end with a dot';
  if (RESERVED.has(user.toLowerCase())) return `"${user}" is an account Windows keeps for itself`;
  return null;
}

/** A field error for the password, or null. Empty is allowed (Windows takes a blank password). */
export function passwordProblem(password: string): string | null {
  if (password.length > 127) return 'a Windows password is at most 127 characters';
  if (/[\u0000-\u001f\u007f]/.test(password)) return 'a password cannot contain control characters';
  return null;
}

/**
 * How Windows Setup keeps a password in an answer file when PlainText is false: base64 of the
 * UTF-16LE text of the password followed by the element's name ("Password" for accounts and
 * AutoLogon). It is an encoding, not encryption: anyone with the file reads the password back,
 * which is why the answer disk must be removed after the install.
 */
export function encodeUnattendPassword(password: string, element = 'Password'): string {
  return Buffer.from(`${password}${element}`, 'utf16le').toString('base64');
}
