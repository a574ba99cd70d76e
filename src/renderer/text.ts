// Messages as the app shows them: a sentence that starts with a capital and ends with a stop,
// whatever shape the words came in (schema messages are written lower case to fit inside CLI
// lines such as "memory: at least 64 MiB").
export function asSentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…)]$/.test(first) ? first : `${first}.`;
}

/**
 * For a screen that repeats a field (two disks, two shared folders): each hint text once, at the
 * first field that has it; the next fields with the same text show none. Made anew per render.
 */
export function firstTimeOnly(): (text: string | undefined) => string | undefined {
  const seen = new Set<string>();
  return (text) => {
    if (text === undefined || seen.has(text)) return undefined;
    seen.add(text);
    return text;
  };
}
