// What a running guest's agent reports, in the guest page's header: its OS as it names itself
// and its addresses (so the user knows where to ssh or browse to). Nothing is shown for a guest
// without an agent; asking costs one QMP round trip then, so it is asked every few seconds.
import { useEffect, useState } from 'react';
import type { GuestAgentInfo } from '../../shared/contract';
import { useClient } from '../store';

const EVERY_MS = 5000;

export function GuestAgentLine({ name, running }: { name: string; running: boolean }) {
  const client = useClient();
  const [info, setInfo] = useState<GuestAgentInfo | null>(null);
  useEffect(() => {
    setInfo(null);
    if (!running) return;
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      client.call('guests.agent', { name }).then(
        (r) => alive && setInfo(r),
        () => alive && setInfo(null),
      ).finally(() => {
        if (alive) timer = setTimeout(ask, EVERY_MS);
      });
    };
    ask();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [client, name, running]);
  if (!info?.connected) return null;
  const v4 = info.addresses.filter((a) => a.family === 'ipv4').map((a) => a.address);
  const v6 = info.addresses.filter((a) => a.family === 'ipv6' && !a.address.startsWith('fe80:')).map((a) => a.address);
  const addresses = [...v4, ...v6];
  return (
    <span data-testid={`guest-agent-${name}`} title="Reported by the guest agent running in the guest">
      {info.os?.name ?? 'guest agent'}
      {addresses.length > 0 && <> · <span data-testid={`guest-address-${name}`}>{addresses.join(', ')}</span></>}
    </span>
  );
}
