// What Guestbay asks of a running guest's agent (qemu-ga, or the virtio-win tools' agent):
// its addresses and OS, its clock set after a restore, a clean shutdown when the guest ignores
// ACPI, file systems frozen around a live snapshot. Every function first asks QEMU whether the
// guest has the agent's port open (one QMP round trip), so a guest without an agent is never
// waited on; an agent that is there gets short deadlines all the same.
import {
  agentPortOpen,
  agentShutdown,
  freezeFilesystems,
  guestAddresses,
  guestMounts,
  guestOs,
  setGuestTime,
  thawFilesystems,
  freezeStatus,
  withAgent,
  type GuestAddress,
  type GuestMount,
  type GuestOs,
  type QgaSession,
} from '../qemu/qga/commands';
import type { GuestAgentInfo } from '../../shared/contract';
import type { Session } from './session';

export type { GuestAddress, GuestMount, GuestOs };

/** The agent's socket when the guest's agent has its port open; undefined otherwise. */
export async function agentSocket(s: Pick<Session, 'plan' | 'client'>): Promise<string | undefined> {
  const socket = s.plan.runtime.qgaSocket;
  if (!socket) return undefined;
  const open = await agentPortOpen(s.client).catch(() => false);
  return open ? socket : undefined;
}

/** Runs `fn` through the agent when one answers; undefined (never a wait) when there is none. */
export async function ifAgent<T>(s: Pick<Session, 'plan' | 'client'>, fn: (q: QgaSession) => Promise<T>): Promise<T | undefined> {
  const socket = await agentSocket(s);
  if (!socket) return undefined;
  return withAgent(socket, fn, { syncTimeoutMs: 1500, timeoutMs: 5000 });
}

export interface AgentInfo {
  os: GuestOs | null;
  addresses: GuestAddress[];
}

/** The guest's OS and addresses as its agent reports them; null without an agent. */
export async function agentInfo(s: Pick<Session, 'plan' | 'client'>): Promise<AgentInfo | null> {
  const info = await ifAgent(s, async (q) => ({
    // An agent that refuses one of these (a Windows agent too old for osinfo) still gives the other.
    os: await guestOs(q).catch(() => null),
    addresses: await guestAddresses(q).catch(() => []),
  })).catch(() => undefined);
  return info ?? null;
}

/**
 * Sets the guest's clock to the host's: a restored guest's clock stands where it was saved.
 * Returns whether it was set.
 */
export async function syncGuestClock(s: Pick<Session, 'plan' | 'client'>): Promise<boolean> {
  const done = await ifAgent(s, async (q) => {
    await setGuestTime(q, Date.now());
    return true;
  }).catch(() => false);
  return done === true;
}

/** Asks the agent to power the guest off; false when no agent answered. */
export async function shutdownThroughAgent(s: Pick<Session, 'plan' | 'client'>): Promise<boolean> {
  const done = await ifAgent(s, async (q) => {
    agentShutdown(q);
    // Let the line leave before the connection closes.
    await new Promise((r) => setTimeout(r, 100));
    return true;
  }).catch(() => false);
  return done === true;
}

/**
 * Runs `fn` with the guest's file systems frozen when an agent answers (so a live snapshot holds
 * consistent file systems), and plainly otherwise. They are thawed whatever `fn` does. Returns
 * whether they were frozen.
 */
export async function withFrozenFilesystems<T>(s: Pick<Session, 'plan' | 'client'>, fn: () => Promise<T>): Promise<{ value: T; frozen: boolean }> {
  const socket = await agentSocket(s);
  let frozen = false;
  if (socket) {
    frozen = await withAgent(socket, async (q) => (await freezeFilesystems(q)) >= 0, { syncTimeoutMs: 1500 }).catch(() => false);
  }
  try {
    return { value: await fn(), frozen };
  } finally {
    // qemu-ga thaws by itself after a while if nobody does, but a frozen guest must not wait on that.
    if (frozen) await withAgent(socket!, (q) => thawFilesystems(q), { syncTimeoutMs: 5000 }).catch(() => {});
  }
}

/** The guest's mounted file systems as its agent sees them; null without an agent. */
export async function agentMounts(s: Pick<Session, 'plan' | 'client'>): Promise<GuestMount[] | null> {
  return (await ifAgent(s, (q) => guestMounts(q)).catch(() => null)) ?? null;
}

/** Everything the guest page shows from the agent, in one exchange; `connected: false` without one. */
export async function agentReport(s: Pick<Session, 'plan' | 'client'>): Promise<GuestAgentInfo> {
  const r = await ifAgent(s, async (q) => ({
    connected: true,
    os: await guestOs(q).catch(() => null),
    addresses: await guestAddresses(q).catch(() => []),
    mounts: await guestMounts(q).catch(() => null),
  })).catch(() => undefined);
  return r ?? { connected: false, os: null, addresses: [], mounts: null };
}

/**
 * Thaws the guest's file systems when its agent says they are frozen: a guest reverted to a
 * live snapshot taken with them frozen comes back frozen (its memory, and its agent's, is that
 * moment's). Returns whether it thawed them; false without an agent, or when nothing was frozen.
 */
export async function thawIfFrozen(s: Pick<Session, 'plan' | 'client'>, syncTimeoutMs = 5000): Promise<boolean> {
  const socket = await agentSocket(s);
  if (!socket) return false;
  return withAgent(
    socket,
    async (q) => {
      if ((await freezeStatus(q)) !== 'frozen') return false;
      await thawFilesystems(q);
      return true;
    },
    { syncTimeoutMs },
  ).catch(() => false);
}
