// `guestbay status [N]`: every guest's state (or one's), found again from any process. A running
// guest whose agent answers also shows its OS and addresses (`agent` in --json); one without an
// agent is not waited on.
import { describe, parse, withSupervisor, type Command } from '../common';
import { json } from '../output';

export const status: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  return withSupervisor(e, async (sup) => {
    const list = positionals[0] ? [await sup.status(positionals[0])] : await sup.attachAll();
    const withAgent = await Promise.all(
      list.map(async (st) => (st.state === 'running' ? { ...st, agent: await sup.agent(st.name) } : st)),
    );
    if (values.json) return json(e.io, positionals[0] ? withAgent[0] : withAgent), 0;
    if (list.length === 0) e.io.out('No guests yet.');
    for (const st of withAgent) {
      e.io.out(describe(st));
      const a = 'agent' in st ? st.agent : undefined;
      if (a?.connected) {
        const addrs = a.addresses.filter((x) => x.family === 'ipv4').map((x) => `${x.address} (${x.iface})`);
        e.io.out(`  guest agent: ${a.os?.name ?? 'unknown OS'}${addrs.length ? `, ${addrs.join(', ')}` : ''}`);
      }
    }
    return 0;
  });
};
