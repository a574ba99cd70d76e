// The app's colours, read from styles.css for the light and the dark scheme: field borders
// stand out from the field and from what surrounds it (WCAG 1.4.11, non-text contrast ≥ 3:1),
// and text is readable on every surface (1.4.3, ≥ 4.5:1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(__dirname, '../../src/renderer/styles.css'), 'utf8');

function vars(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([a-z0-9-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
}

const light = vars(css.slice(css.indexOf(':root {'), css.indexOf('}', css.indexOf(':root {'))));
const darkAt = css.indexOf('@media (prefers-color-scheme: dark)');
const dark = { ...light, ...vars(css.slice(darkAt, css.indexOf('}', css.indexOf(':root {', darkAt)))) };

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

describe.each([
  ['light', light],
  ['dark', dark],
])('colours, %s', (_scheme, v) => {
  it('field borders are at least 3:1 against the field and every surface it sits on', () => {
    for (const around of ['input-bg', 'surface', 'bg', 'surface-2']) {
      expect(contrast(v['input-border']!, v[around]!), `input-border on ${around}`).toBeGreaterThanOrEqual(3);
    }
  });
  it('text and muted text are at least 4.5:1 on every surface', () => {
    for (const fg of ['text', 'muted']) {
      for (const bg of ['bg', 'surface', 'surface-2', 'input-bg']) {
        expect(contrast(v[fg]!, v[bg]!), `${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});
