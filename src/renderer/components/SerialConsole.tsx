// The guest's serial console in xterm.js: `serial.open`, output from `serial.data` events,
// keystrokes to `serial.write`, `serial.close` when the page is left.
import { useEffect, useRef, useState } from 'react';
import { useClient } from '../store';
import { ErrorNotice } from './ErrorNotice';
import { mirrorInlineStyles } from './csp-styles';
import '@xterm/xterm/css/xterm.css';

export function SerialConsole({ name }: { name: string }) {
  const client = useClient();
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let disposed = false;
    const cleanups: (() => void)[] = [];
    void (async () => {
      const [{ Terminal }, { FitAddon }] = await Promise.all([import('@xterm/xterm'), import('@xterm/addon-fit')]);
      if (disposed || !host.current) return;
      const term = new Terminal({ convertEol: false, cursorBlink: true, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 13, scrollback: 5000 });
      const fit = new FitAddon();
      term.loadAddon(fit);
      cleanups.push(mirrorInlineStyles(host.current));
      term.open(host.current);
      try {
        fit.fit();
      } catch {
        // not laid out yet
      }
      cleanups.push(() => term.dispose());
      // Tab and Shift+Tab move the focus on, as everywhere else on the page (the console is no
      // keyboard trap); Ctrl+I types a Tab in the guest, as in any terminal (shell completion).
      term.attachCustomKeyEventHandler((e) => !(e.key === 'Tab' && !e.ctrlKey && !e.altKey && !e.metaKey));
      cleanups.push(client.on('serial.data', (e) => e.name === name && term.write(e.data)));
      const input = term.onData((data) => {
        client.call('serial.write', { name, data }).catch((e: unknown) => setError(e));
      });
      cleanups.push(() => input.dispose());
      const onResize = () => {
        try {
          fit.fit();
        } catch {
          // ignore
        }
      };
      window.addEventListener('resize', onResize);
      cleanups.push(() => window.removeEventListener('resize', onResize));
      try {
        await client.call('serial.open', { name });
        if (!disposed) term.focus();
      } catch (e) {
        if (!disposed) setError(e);
      }
    })();
    return () => {
      disposed = true;
      for (const c of cleanups.reverse()) c();
      client.call('serial.close', { name }).catch(() => undefined);
    };
  }, [client, name]);
  return (
    <div className="serial">
      {error !== null && <ErrorNotice error={error} title="The serial console could not be opened" />}
      <div className="serial-term" ref={host} data-testid="serial-console" aria-label={`Serial console of ${name}`} />
      <p className="hint">The guest’s first serial port (ttyS0 on Linux; add console=ttyS0 to the kernel arguments to see the boot). Keys typed here go to the guest; Tab moves on to the next control, Ctrl+I types a Tab.</p>
    </div>
  );
}
