// One small inline SVG per OS family (no external assets, no inline style strings).
export function OsIcon({ family, size = 40 }: { family: string | undefined; size?: number }) {
  const common = { width: size, height: size, viewBox: '0 0 48 48', 'aria-hidden': true, className: `os-icon os-${family ?? 'other'}` } as const;
  switch (family) {
    case 'linux':
      return (
        <svg {...common}>
          <ellipse cx="24" cy="28" rx="13" ry="16" fill="#2b2b2b" />
          <ellipse cx="24" cy="31" rx="8.5" ry="11" fill="#f4f4f4" />
          <circle cx="19.5" cy="17" r="3" fill="#fff" />
          <circle cx="28.5" cy="17" r="3" fill="#fff" />
          <circle cx="20" cy="17.5" r="1.3" fill="#111" />
          <circle cx="28" cy="17.5" r="1.3" fill="#111" />
          <path d="M19 22 L24 25.5 L29 22 L24 20.5 Z" fill="#f2b01e" />
          <ellipse cx="16" cy="44" rx="5.5" ry="2.5" fill="#f2b01e" />
          <ellipse cx="32" cy="44" rx="5.5" ry="2.5" fill="#f2b01e" />
        </svg>
      );
    case 'windows':
      return (
        <svg {...common}>
          <rect x="6" y="6" width="17" height="17" fill="#0a84d6" />
          <rect x="25" y="6" width="17" height="17" fill="#0a84d6" />
          <rect x="6" y="25" width="17" height="17" fill="#0a84d6" />
          <rect x="25" y="25" width="17" height="17" fill="#0a84d6" />
        </svg>
      );
    case 'macos':
      return (
        <svg {...common}>
          <path
            d="M31.5 25.5c0-4.3 3.5-6.3 3.7-6.4-2-2.9-5.1-3.3-6.2-3.4-2.6-.3-5.1 1.5-6.4 1.5-1.3 0-3.4-1.5-5.5-1.5-2.8 0-5.4 1.7-6.9 4.2-3 5.1-.8 12.7 2.1 16.9 1.4 2 3.1 4.3 5.3 4.2 2.1-.1 2.9-1.4 5.5-1.4 2.5 0 3.3 1.4 5.5 1.3 2.3 0 3.7-2.1 5.1-4.1 1.6-2.3 2.3-4.6 2.3-4.7-.1 0-4.5-1.7-4.5-6.6z"
            fill="currentColor"
          />
          <path d="M27.4 12.9c1.2-1.4 1.9-3.3 1.7-5.3-1.7.1-3.7 1.1-4.9 2.5-1.1 1.2-2 3.2-1.8 5.1 1.9.2 3.8-.9 5-2.3z" fill="currentColor" />
        </svg>
      );
    default:
      return (
        <svg {...common}>
          <rect x="5" y="8" width="38" height="26" rx="3" fill="none" stroke="currentColor" strokeWidth="3" />
          <path d="M17 42h14M24 34v8" stroke="currentColor" strokeWidth="3" />
        </svg>
      );
  }
}

/** Small line icons for the file picker: inline SVG, so they look the same on every system (no emoji font needed). */
export function FileIcon({ kind }: { kind: 'dir' | 'file' | 'up' }) {
  const common = { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': true, className: `file-icon file-icon-${kind}` } as const;
  if (kind === 'dir') {
    return (
      <svg {...common}>
        <path d="M1.5 3.5h4.2l1.5 1.5h7.3v8.5H1.5z" fill="currentColor" fillOpacity="0.25" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
      </svg>
    );
  }
  if (kind === 'up') {
    return (
      <svg {...common}>
        <path d="M8 13V3.5M3.5 8 8 3.5 12.5 8" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
    );
  }
  return (
    <svg {...common}>
      <path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3" fill="none" stroke="currentColor" strokeWidth="1.2" strokeLinejoin="round" />
    </svg>
  );
}

/**
 * Small marks inside text (a check, a warning, a menu's arrow, up and down, "on top of"): inline
 * SVG in the text's colour and size, never a font's glyph (✓ ⚠ ▾ ↑ ↓ ↳ are missing from some
 * systems' fonts and come out as boxes or as colour emoji). `label`: the mark means something
 * the words around it do not say (a button that is only an arrow).
 */
export function Mark({ kind, label }: { kind: 'check' | 'warning' | 'menu' | 'up' | 'down' | 'on'; label?: string }) {
  const a11y = label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true as const };
  const common = { width: '1em', height: '1em', viewBox: '0 0 16 16', className: `mark mark-${kind}`, ...a11y };
  const line = { fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;
  switch (kind) {
    case 'check':
      return (
        <svg {...common}>
          <path d="M3 8.5 6.5 12 13 4.5" {...line} />
        </svg>
      );
    case 'warning':
      return (
        <svg {...common}>
          <path d="M8 1.8 15 14.2H1z" {...line} strokeWidth={1.4} />
          <path d="M8 6.2v3.8M8 12.2v.1" {...line} />
        </svg>
      );
    case 'menu':
      return (
        <svg {...common}>
          <path d="M4 6.5 8 10.5 12 6.5" {...line} />
        </svg>
      );
    case 'up':
      return (
        <svg {...common}>
          <path d="M8 13V3M4 7 8 3 12 7" {...line} />
        </svg>
      );
    case 'down':
      return (
        <svg {...common}>
          <path d="M8 3v10M4 9 8 13 12 9" {...line} />
        </svg>
      );
    case 'on':
      return (
        <svg {...common}>
          <path d="M4 2.5V9h8M9.5 6.5 12 9 9.5 11.5" {...line} />
        </svg>
      );
  }
}
