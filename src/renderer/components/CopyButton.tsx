import { useState } from 'react';

/**
 * A copy button whose visible words say what it copies ("Copy command", never a bare "Copy");
 * `what` adds the details a screen reader hears after them ("Copy command: the one that fixes…"),
 * so the visible words stay the start of its name (WCAG 2.5.3, label in name).
 */
export function CopyButton({ text, label, what, testId }: { text: string; label: `Copy ${string}`; what?: string; testId?: string }) {
  const [done, setDone] = useState<'idle' | 'ok' | 'fail'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('ok');
    } catch {
      setDone('fail');
    }
    setTimeout(() => setDone('idle'), 1500);
  };
  return (
    <button type="button" className="btn btn-small" onClick={() => void copy()} data-testid={testId} aria-label={done === 'idle' && what ? `${label}: ${what}` : undefined}>
      {done === 'ok' ? 'Copied' : done === 'fail' ? 'Select and copy by hand' : label}
    </button>
  );
}
