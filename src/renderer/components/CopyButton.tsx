import { useState } from 'react';

/** A copy button; `what` names what it copies for screen readers ("Copy the command"). */
export function CopyButton({ text, label = 'Copy', what, testId }: { text: string; label?: string; what?: string; testId?: string }) {
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
    <button type="button" className="btn btn-small" onClick={() => void copy()} data-testid={testId} aria-label={done === 'idle' ? `Copy ${what ?? 'the text'}` : undefined}>
      {done === 'ok' ? 'Copied' : done === 'fail' ? 'Select and copy by hand' : label}
    </button>
  );
}
