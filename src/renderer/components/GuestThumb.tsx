// The guest's screen in the library: refreshed every ~3 s while it runs (from the open view's
// own picture when one is open, see display.frame; from a QEMU screendump otherwise), and its
// last picture, dimmed, while it is stopped or saved; the system's icon when there is no picture
// yet. A thumbnail asks only while it is on screen, so a library of hundreds of guests sends a
// few calls, not hundreds.
import { useEffect, useRef, useState } from 'react';
import type { GuestStateName } from '../../shared/contract';
import { useClient } from '../store';
import { OsIcon } from './Icons';

/**
 * One observer for every thumbnail (a library of hundreds made one each), telling each element
 * whether it is in (or near) the viewport.
 */
const watched = new Map<Element, (visible: boolean) => void>();
let observer: IntersectionObserver | undefined;
function observe(el: Element, fn: (visible: boolean) => void): () => void {
  observer ??= new IntersectionObserver((entries) => {
    for (const e of entries) watched.get(e.target)?.(e.isIntersecting);
  }, { rootMargin: '200px' });
  watched.set(el, fn);
  observer.observe(el);
  return () => {
    watched.delete(el);
    observer?.unobserve(el);
  };
}

/**
 * Whether the element has been on screen yet (true where IntersectionObserver is missing), and
 * whether it is now. Only the first changes state: a search that hides hundreds of cards, or a
 * scroll, re-renders no thumbnail; a live one's refresh reads `now` when it is due.
 */
function useOnScreen<T extends Element>(): [React.RefObject<T | null>, boolean, React.RefObject<boolean>] {
  const ref = useRef<T>(null);
  const none = typeof IntersectionObserver === 'undefined';
  const [seen, setSeen] = useState(none);
  const now = useRef(none);
  useEffect(() => {
    const el = ref.current;
    if (!el || none) return;
    return observe(el, (visible) => {
      now.current = visible;
      if (visible) setSeen(true);
    });
  }, [none]);
  return [ref, seen, now];
}

export function GuestThumb({ name, state, title, family }: { name: string; state: GuestStateName | undefined; title: string; family?: string }) {
  const client = useClient();
  const [ref, onScreen, onScreenNow] = useOnScreen<HTMLDivElement>();
  const [src, setSrc] = useState<string | null>(null);
  const [last, setLast] = useState<string | null>(null);
  const live = state === 'running' || state === 'paused';
  useEffect(() => {
    if (!onScreen) return;
    if (!live) {
      setSrc(null);
      let alive = true;
      client.call('guests.lastScreen', { name }).then(
        (r) => alive && setLast(r.png ? `data:image/png;base64,${r.png}` : null),
        () => undefined,
      );
      return () => {
        alive = false;
      };
    }
    let alive = true;
    const grab = () =>
      client.call('guests.screenshot', { name, maxWidth: 320, maxHeight: 240 }).then(
        (r) => alive && setSrc(`data:image/png;base64,${r.png}`),
        () => undefined,
      );
    void grab();
    const t = setInterval(() => {
      if (onScreenNow.current && (typeof document === 'undefined' || document.visibilityState !== 'hidden')) void grab();
    }, 3000);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [client, name, live, state, onScreen, onScreenNow]);
  const shown = live ? src : last;
  return (
    <div ref={ref} className={`thumb${live ? ' thumb-live' : ''}${!live && last ? ' thumb-last' : ''}${shown ? '' : ' thumb-none'}`} data-testid={`guest-thumb-${name}`}>
      {shown ? (
        <img src={shown} alt={live ? `Screen of ${title}` : `Last picture of ${title}'s screen`} data-kind={live ? 'live' : 'last'} />
      ) : (
        <span className="thumb-empty">
          <OsIcon family={family} size={44} />
          <span>{live ? 'Waiting for the screen…' : 'Not running'}</span>
        </span>
      )}
      {!live && last && <span className="thumb-label">{state === 'saved' ? 'Saved' : 'Last seen'}</span>}
    </div>
  );
}
