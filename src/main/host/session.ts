// The desktop session the app runs in: whether a window can open and where sound can go.
// Sockets in $XDG_RUNTIME_DIR are what the audio backends connect to, so we look for those.
import { join } from 'node:path';
import type { HostCaps } from '../../shared/host-caps';
import { exists } from './files';
import type { ProbeContext } from './options';

export type Session = HostCaps['session'];

export async function probeSession(ctx: ProbeContext): Promise<Session> {
  const uid = process.getuid?.() ?? 1000;
  const runtime = ctx.xdgRuntimeDir ?? `/run/user/${uid}`;
  const [pipewire, pulse] = await Promise.all([exists(join(runtime, 'pipewire-0')), exists(join(runtime, 'pulse', 'native'))]);
  return {
    graphical: Boolean(ctx.env.WAYLAND_DISPLAY || ctx.env.DISPLAY),
    pipewire,
    pulse,
    uid,
  };
}
