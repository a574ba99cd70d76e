// The guest's screen in the library: refreshed every ~3 s while it runs (from the open view's
// own picture when one is open, see display.frame; from a QEMU screendump otherwise), and its
// last picture, dimmed, while it is stopped or saved.
import { useEffect, useState } from 'react';
import type { GuestStateName } from '../../shared/contract';
import { useClient } from '../store';

export function GuestThumb({ name, state, title }: { name: string; state: GuestStateName | undefined; title: string }) {
  const client = useClient();
  const [src, setSrc] = useState<string | null>(null);
  const [last, setLast] = useState<string | null>(null);
  const live = state === 'running' || state === 'paused';
  useEffect(() => {
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
    const t = setInterval(() => void grab(), 3000);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [client, name, live, state]);
  const shown = live ? src : last;
  return (
    <div className={`thumb${live ? ' thumb-live' : ''}${!live && last ? ' thumb-last' : ''}`} data-testid={`guest-thumb-${name}`}>
      {shown ? (
        <img src={shown} alt={live ? `Screen of ${title}` : `Last picture of ${title}'s screen`} data-kind={live ? 'live' : 'last'} />
      ) : (
        <span className="thumb-empty">{live ? 'Waiting for the screen…' : 'Not running'}</span>
      )}
      {!live && last && <span className="thumb-label">{state === 'saved' ? 'Saved' : 'Last seen'}</span>}
    </div>
  );
}
