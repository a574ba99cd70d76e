// A modal dialog that behaves as one: it takes the focus when it opens (its first field, else
// its first button), keeps Tab and Shift+Tab inside, closes on Esc or a click on the backdrop,
// and gives the focus back to what had it. Every overlay (help, file picker, confirmations)
// is one of these.
import { useEffect, useRef, type ReactNode } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function Dialog({
  label,
  testId,
  onClose,
  children,
  className,
  initialFocus,
}: {
  label: string;
  testId?: string;
  onClose(): void;
  children: ReactNode;
  className?: string;
  /** A selector inside the dialog to focus first (default: the first field, else the first button). */
  initialFocus?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = box.current;
    const first = (initialFocus && el?.querySelector<HTMLElement>(initialFocus)) || el?.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), textarea:not([disabled])') || el?.querySelector<HTMLElement>(FOCUSABLE) || el;
    first?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        close.current();
        return;
      }
      if (e.key !== 'Tab' || !el) return;
      const items = [...el.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => !x.closest('[hidden]'));
      if (!items.length) {
        e.preventDefault();
        return;
      }
      const i = items.indexOf(document.activeElement as HTMLElement);
      const next = e.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : i === -1 || i === items.length - 1 ? 0 : i + 1;
      e.preventDefault();
      items[next]!.focus();
    };
    // Capture: Esc and Tab belong to the dialog before any page shortcut sees them.
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      if (before && document.contains(before)) before.focus();
    };
    // Opening is what counts: the props of an open dialog do not move the focus again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={box} className={`dialog${className ? ` ${className}` : ''}`} role="dialog" aria-modal="true" aria-label={label} data-testid={testId} tabIndex={-1}>
        {children}
      </div>
    </div>
  );
}
