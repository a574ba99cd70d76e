// Whether the guest's clipboard agent (spice-vdagent) is there: QEMU reports a chardev's
// `frontend-open` as true once the guest has opened the virtio-serial port behind it, which
// spice-vdagentd does when it runs. QMP's names stay here, with the rest of QEMU's syntax.
import type { QmpClient } from './qmp';

/** The chardev id the launch plan gives the agent's channel (plan/display.ts). */
export const AGENT_CHARDEV = 'vdagent0';

export async function agentConnected(client: QmpClient): Promise<boolean> {
  const list = await client.execute<{ label: string; 'frontend-open'?: boolean }[]>('query-chardev');
  return list.some((c) => c.label === AGENT_CHARDEV && c['frontend-open'] === true);
}
