// Guests' screens: `display.open` checks and answers a ticket for the transport (see
// src/main/display/bridge.ts), `display.info` what the view can do, `display.frame` the open
// view's picture, which then serves as the guest's thumbnail (no extra screendump while a view
// is open), and `guests.lastScreen` the picture kept for a stopped or saved guest.
import { basename, dirname } from 'node:path';
import { readPngHeader } from '../media';
import type { DisplayBridge } from '../display/bridge';
import type { LastScreens } from '../display/last-screen';
import { lastScreenProblem } from '../display/last-screen';
import { agentConnected } from '../qemu/display-agent';
import { vncSocketPath } from '../qemu/plan/display';
import { thumbnail } from '../vm/screenshot';
import { GuestStateError } from '../vm/supervisor';
import type { DisplayInfo } from '../../shared/contract';
import { ConfigError } from '../../shared/vm-config';
import type { ApiContext, Handlers } from './context';

/** States in which QEMU, and so its VNC socket, is there. */
const LIVE = new Set(['starting', 'running', 'paused', 'saving', 'stopping']);
/** A view's picture younger than this stands in for a screendump. */
const FRAME_FRESH_MS = 10_000;

export class DisplayUnavailableError extends Error {
  override name = 'DisplayUnavailableError';
}

export function displayHandlers(
  { deps }: ApiContext,
  displays: DisplayBridge,
  screens: LastScreens,
): Handlers<'display.open' | 'display.info' | 'display.frame' | 'guests.lastScreen' | 'guests.screenshot'> {
  const { store, supervisor } = deps;
  const frames = new Map<string, { png: Buffer; at: number }>();

  /** The guest's VNC socket, or the reason there is none (in words the view shows as they are). */
  async function vncSocket(name: string): Promise<{ socket: string; viewer: DisplayInfo['viewer']; agent: boolean; agentNote?: string; resizes: boolean }> {
    await store.get(name); // there is no guest named …
    const st = await supervisor.status(name);
    if (!LIVE.has(st.state)) throw new GuestStateError(`"${name}" is ${st.state}: its screen is there only while it runs`);
    const record = await supervisor.record(name);
    if (!record) throw new GuestStateError(`"${name}" is not running`);
    const d = record.plan.display;
    if (!d) throw new DisplayUnavailableError(`"${name}" was started by an older Guestbay, without a screen for the app: restart it to see it here`);
    if (!d.vncSocket) {
      throw new DisplayUnavailableError(
        d.viewer === 'window' ? `"${name}" shows its screen in QEMU's own window with OpenGL, which Guestbay cannot show: choose "In Guestbay" in its display settings` : `"${name}" has no display device`,
      );
    }
    // The record lives in the guest's own private folder; still, the only socket a ticket may
    // ever name is the one in that folder's run folder (each start makes its own, run-<hex>).
    const runtimeDir = store.dirs(name).runtimeDir;
    const runDir = record.runDir && dirname(record.runDir) === runtimeDir && basename(record.runDir).startsWith('run-') ? record.runDir : runtimeDir;
    const expected = vncSocketPath(runDir);
    if (d.vncSocket !== expected) throw new DisplayUnavailableError(`the runtime record of "${name}" names a screen outside its own folder (${d.vncSocket}): refused`);
    return { socket: expected, viewer: d.viewer, agent: d.agent, agentNote: d.agentNote, resizes: d.resizes };
  }

  async function info(name: string): Promise<DisplayInfo & { socket: string }> {
    const v = await vncSocket(name);
    let agent: DisplayInfo['agent'] = 'none';
    let agentDetail = v.agentNote ?? 'No clipboard sharing: this guest has no agent channel (its system has no spice-vdagent, or this QEMU has no qemu-vdagent).';
    if (v.agent) {
      const connected = await supervisor.monitor(name).then(agentConnected, () => false);
      agent = connected ? 'connected' : 'absent';
      agentDetail = connected
        ? 'Clipboard shared both ways through spice-vdagent in the guest.'
        : 'No clipboard sharing yet: the guest does not run spice-vdagent (install it in the guest: spice-vdagent on Linux, the SPICE guest tools on Windows).';
    }
    return { socket: v.socket, viewer: v.viewer, agent, agentDetail, resizes: v.resizes, connections: displays.connections(name) };
  }

  return {
    'display.open': async (i) => {
      const { socket, ...rest } = await info(i.name);
      return { ...rest, ...displays.issue(i.name, socket) };
    },
    'display.info': async (i) => {
      const { socket: _s, ...rest } = await info(i.name);
      return rest;
    },
    'display.frame': async (i) => {
      await store.get(i.name);
      const png = Buffer.from(i.png, 'base64');
      const problem = lastScreenProblem(png);
      if (problem) throw new ConfigError([{ field: 'png', message: problem }]);
      frames.set(i.name, { png, at: Date.now() });
      await screens.keep(i.name, png);
      return { ok: true as const };
    },
    'guests.lastScreen': async (i) => {
      await store.get(i.name);
      const kept = await screens.read(i.name);
      if (!kept) return { png: null, width: 0, height: 0, at: null };
      const { width, height } = readPngHeader(kept.png);
      return { png: kept.png.toString('base64'), width, height, at: kept.at };
    },
    'guests.screenshot': async (i) => {
      // A view is open and drawing: its picture is the thumbnail, QEMU is not asked again.
      const f = frames.get(i.name);
      if (f && displays.connections(i.name) > 0 && Date.now() - f.at < FRAME_FRESH_MS) {
        const h = readPngHeader(f.png);
        if (h.width <= i.maxWidth && h.height <= i.maxHeight) return { png: f.png.toString('base64'), width: h.width, height: h.height };
      }
      const png = await thumbnail(await supervisor.monitor(i.name), { workDir: store.dirs(i.name).runtimeDir, maxWidth: i.maxWidth, maxHeight: i.maxHeight });
      await screens.keep(i.name, png).catch(() => false);
      const { width, height } = readPngHeader(png);
      return { png: png.toString('base64'), width, height };
    },
  };
}
