// Messages as the app shows them: a sentence that starts with a capital and ends with a stop,
// whatever shape the words came in (schema messages are written lower case to fit inside CLI
// lines such as "memory: at least 64 MiB").
export function asSentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?…)]$/.test(first) ? first : `${first}.`;
}
