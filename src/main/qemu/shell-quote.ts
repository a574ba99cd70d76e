// Renders argv as a command a user can paste into bash, zsh or fish and get the same words.
// Single quotes protect everything; a single quote itself is closed, escaped and reopened.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** One command, wrapped before each flag so long QEMU lines stay readable. */
export function shellCommand(argv: readonly string[], { wrap = true } = {}): string {
  if (!wrap) return argv.map(shellQuote).join(' ');
  const lines: string[] = [];
  let line: string[] = [];
  for (const w of argv) {
    if (w.startsWith('-') && line.length > 0) {
      lines.push(line.join(' '));
      line = [];
    }
    line.push(shellQuote(w));
  }
  if (line.length) lines.push(line.join(' '));
  return lines.join(' \\\n  ');
}
