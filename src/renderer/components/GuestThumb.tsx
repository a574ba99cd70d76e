// The guest's screen, refreshed every ~3 s while it runs.
import { useEffect, useState } from 'react';
import type { GuestStateName } from '../../shared/contract';
import { useClient } from '../store';

export function GuestThumb({ name, state, title }: { name: string; state: GuestStateName | undefined; title: string }) {
  const client = useClient();
  const [src, setSrc] = useState<string | null>(null);
  const live = state === 'running' || state === 'paused';
  useEffect(() => {
    if (!live) {
      setSrc(null);
      return;
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
  }, [client, name, live]);
  return (
    <div className={`thumb${live ? ' thumb-live' : ''}`} data-testid={`guest-thumb-${name}`}>
      {src ? <img src={src} alt={`Screen of ${title}`} /> : <span className="thumb-empty">{live ? 'Waiting for the screen…' : 'Not running'}</span>}
    </div>
  );
}
