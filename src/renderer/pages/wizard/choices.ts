// How a preset's reasons read in the wizard. The OS tiles, their defaults and their traits come
// from `presets.list`; device and firmware values and their words from src/shared/vm-choices.ts.

/** A preset's one-line reason as a sentence of its own. */
export function sentence(s: string): string {
  const t = s.trim();
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?)]$/.test(t) ? '' : '.');
}
