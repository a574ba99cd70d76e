// A guest's screen inside Guestbay, drawn by noVNC. The bytes come over the app's own
// transport (transport.ts: the desktop window's MessagePort, or the headless server's tokened
// WebSocket) from QEMU's VNC socket in the guest's private folder. The view says when the guest
// goes away (stopped, saved, crashed) and comes back by itself when it runs again.
import { useCallback, useEffect, useRef, useState } from 'react';
import type RFB from '@novnc/novnc';
import type { DisplayInfo, GuestStateName } from '../../shared/contract';
import { CopyButton } from '../components/CopyButton';
import { useClient } from '../store';
import { openDisplayChannel } from '../transport';
import { COMBOS, sendCombo } from './keys';

const LIVE = new Set<GuestStateName | undefined>(['starting', 'running', 'paused', 'saving', 'stopping']);
/**
 * The view asks for sizes in steps of this many pixels: a guest driver given an odd width (seen:
 * Linux's virtio-gpu fbdev at 1198 px) draws with a row pitch QEMU does not expect, and the
 * screen comes out skewed. 16 px keeps every row 64-byte aligned at 32 bits a pixel.
 */
const SIZE_STEP = 16;
/** How often the open view's picture becomes the library's thumbnail. */
const FRAME_EVERY_MS = 3000;

type Phase = 'connecting' | 'connected' | 'waiting' | 'error';

function awayMessage(state: GuestStateName | undefined): string {
  switch (state) {
    case 'saved':
      return 'The guest is saved. Its screen comes back here when it is restored.';
    case 'crashed':
      return 'The guest’s QEMU ended unexpectedly. The screen comes back here when it runs again.';
    default:
      return 'The guest is not running. Its screen appears here when it starts.';
  }
}

function thumbnailOf(canvas: HTMLCanvasElement): string | null {
  if (!canvas.width || !canvas.height) return null;
  const k = Math.min(320 / canvas.width, 240 / canvas.height, 1);
  const t = document.createElement('canvas');
  t.width = Math.max(1, Math.round(canvas.width * k));
  t.height = Math.max(1, Math.round(canvas.height * k));
  const g = t.getContext('2d');
  if (!g) return null;
  g.drawImage(canvas, 0, 0, t.width, t.height);
  return t.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

export function DisplayView({ name, title, state }: { name: string; title: string; state: GuestStateName | undefined }) {
  const client = useClient();
  const frame = useRef<HTMLDivElement>(null);
  const screen = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const [phase, setPhase] = useState<Phase>('connecting');
  const [message, setMessage] = useState('');
  const [info, setInfo] = useState<DisplayInfo | null>(null);
  const [fit, setFit] = useState(true);
  const [viewOnly, setViewOnly] = useState(false);
  const [follow, setFollow] = useState(true);
  const [captured, setCaptured] = useState(false);
  const [maximized, setMaximized] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [guestClip, setGuestClip] = useState('');
  const [toGuest, setToGuest] = useState('');
  const [attempt, setAttempt] = useState(0);
  const [lastScreen, setLastScreen] = useState<string | null>(null);
  const live = LIVE.has(state);

  // Connect while the guest runs; when it goes away, say so and wait for it.
  useEffect(() => {
    if (!live) {
      setPhase('waiting');
      setMessage(awayMessage(state));
      return;
    }
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let rfb: RFB | null = null;
    const again = (ms: number) => {
      retry = setTimeout(() => !cancelled && setAttempt((a) => a + 1), ms);
    };
    void (async () => {
      setPhase('connecting');
      try {
        const opened = await client.call('display.open', { name });
        if (cancelled) return;
        setInfo(opened);
        const [{ default: Rfb }, channel] = await Promise.all([import('@novnc/novnc'), openDisplayChannel(opened.ticket)]);
        if (cancelled || !screen.current) {
          channel.socket.close();
          return;
        }
        let closed = '';
        channel.onClosed((c) => (closed = c.reason));
        rfb = new Rfb(screen.current, channel.socket as never, { shared: true });
        rfbRef.current = rfb;
        rfb.background = 'transparent';
        rfb.scaleViewport = fit;
        rfb.resizeSession = follow && opened.resizes;
        rfb.viewOnly = viewOnly;
        rfb.addEventListener('connect', () => {
          if (cancelled) return;
          setPhase('connected');
          setMessage('');
        });
        rfb.addEventListener('disconnect', () => {
          rfbRef.current = null;
          setCaptured(false);
          if (cancelled) return;
          setPhase('waiting');
          setMessage(closed ? `The screen went away: ${closed}. Reconnecting…` : 'The connection to the screen was lost. Reconnecting…');
          again(2000);
        });
        rfb.addEventListener('clipboard', (e) => setGuestClip((e as CustomEvent<{ text: string }>).detail.text));
      } catch (e) {
        if (cancelled) return;
        setPhase('error');
        setMessage((e as Error).message);
        again(3000);
      }
    })();
    return () => {
      cancelled = true;
      clearTimeout(retry);
      rfb?.disconnect();
      rfbRef.current = null;
    };
    // Options are applied to the live connection below, not by reconnecting.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, name, live, attempt]);

  useEffect(() => {
    const r = rfbRef.current;
    if (!r) return;
    r.scaleViewport = fit;
    r.viewOnly = viewOnly;
    r.resizeSession = follow && !!info?.resizes;
  }, [fit, viewOnly, follow, info, phase]);

  // The screen's box: the area rounded down to SIZE_STEP, centred; noVNC asks the guest for its size.
  useEffect(() => {
    const outer = area.current;
    const inner = screen.current;
    if (!outer || !inner || typeof ResizeObserver === 'undefined') return;
    const fitBox = () => {
      const w = Math.max(SIZE_STEP, Math.floor(outer.clientWidth / SIZE_STEP) * SIZE_STEP);
      const h = Math.max(SIZE_STEP, Math.floor(outer.clientHeight / SIZE_STEP) * SIZE_STEP);
      inner.style.width = `${w}px`;
      inner.style.height = `${h}px`;
      inner.style.left = `${Math.floor((outer.clientWidth - w) / 2)}px`;
      inner.style.top = `${Math.floor((outer.clientHeight - h) / 2)}px`;
    };
    fitBox();
    const ro = new ResizeObserver(fitBox);
    ro.observe(outer);
    return () => ro.disconnect();
  }, []);

  // The picture kept for when the guest is away, shown behind the message.
  useEffect(() => {
    if (live) return;
    let alive = true;
    client.call('guests.lastScreen', { name }).then(
      (r) => alive && setLastScreen(r.png ? `data:image/png;base64,${r.png}` : null),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [client, name, live]);

  // While connected: the view's picture is the thumbnail (no extra screendumps), and the
  // clipboard agent is asked after now and then (it starts with the guest's desktop).
  useEffect(() => {
    if (phase !== 'connected') return;
    const t = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      const canvas = screen.current?.querySelector('canvas');
      const png = canvas ? thumbnailOf(canvas) : null;
      if (png) client.call('display.frame', { name, png }).catch(() => undefined);
      client.call('display.info', { name }).then(setInfo, () => undefined);
    }, FRAME_EVERY_MS);
    return () => clearInterval(t);
  }, [client, name, phase]);

  useEffect(
    () =>
      client.on('display.notice', (e) => {
        if (e.name !== name) return;
        setNotice(e.message);
        setTimeout(() => setNotice((n) => (n === e.message ? null : n)), 8000);
      }),
    [client, name],
  );

  // Keys are captured while the screen has the focus; Ctrl+Alt together (nothing else) lets go.
  useEffect(() => {
    const el = screen.current;
    if (!el) return;
    let ctrl = false;
    let alt = false;
    let other = false;
    const onFocus = () => setCaptured(true);
    const onBlur = (e: FocusEvent) => {
      if (!el.contains(e.relatedTarget as Node | null)) setCaptured(false);
    };
    const down = (e: KeyboardEvent) => {
      if (e.key === 'Control') ctrl = true;
      else if (e.key === 'Alt') alt = true;
      else other = true;
    };
    const up = (e: KeyboardEvent) => {
      if ((e.key === 'Control' || e.key === 'Alt') && ctrl && alt && !other) {
        rfbRef.current?.blur();
        (document.activeElement as HTMLElement | null)?.blur();
        setCaptured(false);
      }
      if (e.key === 'Control') ctrl = false;
      if (e.key === 'Alt') alt = false;
      if (!ctrl && !alt) other = false;
    };
    el.addEventListener('focusin', onFocus);
    el.addEventListener('focusout', onBlur);
    el.addEventListener('keydown', down, true);
    el.addEventListener('keyup', up, true);
    return () => {
      el.removeEventListener('focusin', onFocus);
      el.removeEventListener('focusout', onBlur);
      el.removeEventListener('keydown', down, true);
      el.removeEventListener('keyup', up, true);
    };
  }, []);

  // Fullscreen: the keyboard lock (Chromium) gives the guest the keys the browser keeps otherwise.
  useEffect(() => {
    const onChange = () => {
      const kb = (navigator as Navigator & { keyboard?: { lock?: () => Promise<void>; unlock?: () => void } }).keyboard;
      if (document.fullscreenElement === frame.current) void kb?.lock?.().catch(() => undefined);
      else kb?.unlock?.();
    };
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const send = useCallback((keysym: number, code: string, down: boolean) => rfbRef.current?.sendKey(keysym, code, down), []);
  const screenshot = () => {
    rfbRef.current?.toBlob((blob) => {
      if (!blob) return;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.png`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    }, 'image/png');
  };
  const connected = phase === 'connected';

  return (
    <section className={`panel display${maximized ? ' display-max' : ''}`} ref={frame} aria-label={`Screen of ${title}`} data-testid={`display-${name}`} data-phase={phase}>
      <div className="display-bar" role="toolbar" aria-label="Screen">
        <span className={`display-dot display-dot-${phase}`} aria-hidden="true" />
        <span className="display-status" data-testid="display-status">
          {connected ? (viewOnly ? 'Watching (view only)' : 'Connected') : phase === 'connecting' ? 'Connecting…' : 'Not connected'}
        </span>
        <button type="button" className="btn btn-small" data-testid="display-cad" disabled={!connected || viewOnly} onClick={() => rfbRef.current?.sendCtrlAltDel()}>
          Ctrl+Alt+Del
        </button>
        <details className="display-menu">
          <summary className="btn btn-small" data-testid="display-keys">Keys</summary>
          <div className="display-menu-list" role="menu">
            {COMBOS.map((c) => (
              <button key={c.id} type="button" role="menuitem" className="btn btn-small" data-testid={`display-key-${c.id}`} disabled={!connected || viewOnly} onClick={() => sendCombo(send, c.keys)}>
                {c.label}
              </button>
            ))}
          </div>
        </details>
        <span className="display-sep" />
        <button type="button" className="btn btn-small" data-testid="display-scale" aria-pressed={fit} onClick={() => setFit((v) => !v)} title="Scale the screen to the view, or show it pixel for pixel">
          {fit ? 'Scaled to fit' : '1:1'}
        </button>
        {info?.resizes && (
          <label className="display-toggle" title="The guest's resolution follows the size of this view (EDID), when its graphics driver takes it">
            <input type="checkbox" data-testid="display-follow" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Resolution follows the window
          </label>
        )}
        <label className="display-toggle">
          <input type="checkbox" data-testid="display-view-only" checked={viewOnly} onChange={(e) => setViewOnly(e.target.checked)} /> View only
        </label>
        <button type="button" className="btn btn-small" data-testid="display-screenshot" disabled={!connected} onClick={screenshot}>
          Screenshot
        </button>
        <button type="button" className="btn btn-small" data-testid="display-maximize" aria-pressed={maximized} onClick={() => setMaximized((v) => !v)}>
          {maximized ? 'Restore' : 'Fill window'}
        </button>
        <button type="button" className="btn btn-small" data-testid="display-fullscreen" onClick={() => void frame.current?.requestFullscreen?.().catch(() => undefined)}>
          Fullscreen
        </button>
      </div>
      {captured && (
        <p className="display-captured" data-testid="display-keys-hint" role="status">
          Keys go to the guest. Press <kbd>Ctrl</kbd>+<kbd>Alt</kbd> together, or click outside the screen, to release them.
        </p>
      )}
      {notice && (
        <p className="notice" role="status" data-testid="display-notice">
          {notice}
        </p>
      )}
      <div className={`display-screen${fit ? '' : ' display-1to1'}`} ref={area}>
        <div className="display-canvas" ref={screen} data-testid="display-screen" />
        {!connected && (
          <div className="display-away" data-testid="display-away">
            {lastScreen && !live && <img src={lastScreen} alt={`Last picture of ${title}'s screen`} />}
            <p>{message || 'Connecting to the screen…'}</p>
          </div>
        )}
      </div>
      <details className="display-clipboard" data-testid="display-clipboard">
        <summary>
          Clipboard <span className="muted" data-testid="display-agent" data-agent={info?.agent ?? 'unknown'}>
            {info ? (info.agent === 'connected' ? '· shared with the guest' : '· not shared: see why') : ''}
          </span>
        </summary>
        {info && <p className="hint">{info.agentDetail}</p>}
        <div className="display-clip-row">
          <label>
            From the guest
            <textarea readOnly value={guestClip} data-testid="display-clip-from" rows={2} />
          </label>
          {guestClip && <CopyButton text={guestClip} label="Copy text" what="the text from the guest" testId="display-clip-copy" />}
        </div>
        <div className="display-clip-row">
          <label>
            To the guest
            <textarea value={toGuest} onChange={(e) => setToGuest(e.target.value)} data-testid="display-clip-to" rows={2} />
          </label>
          <button type="button" className="btn btn-small" data-testid="display-clip-send" disabled={!connected || !toGuest} onClick={() => rfbRef.current?.clipboardPasteFrom(toGuest)}>
            Send to the guest’s clipboard
          </button>
        </div>
      </details>
    </section>
  );
}
