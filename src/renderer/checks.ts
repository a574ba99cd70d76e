// Checks on what the user types that the wizard and the guest page share, in the same words.

/** A port as typed: its problem, or null. */
export function portProblem(text: string, what: string): string | null {
  const t = text.trim();
  if (!t) return `Give the ${what}: a number from 1 to 65535.`;
  if (!/^\d+$/.test(t)) return `The ${what} is a whole number from 1 to 65535, like 2222; "${t}" is not.`;
  const n = Number(t);
  if (n < 1 || n > 65535) return `The ${what} is from 1 to 65535; ${n} is not.`;
  return null;
}

/** A host bridge's name as typed: its problem, or null. */
export function bridgeProblem(text: string): string | null {
  return /^[A-Za-z0-9_.-]{1,15}$/.test(text.trim()) ? null : 'Give the host bridge’s name, like br0 (ip link shows the bridges).';
}
