// GPU render nodes: what QEMU's OpenGL renders on when no window gives it a context
// (egl-headless behind VNC, SPICE with gl=on). Without one QEMU stops at start ("egl: no drm
// render node available"), so the plan only asks for those where a node exists.
import { readdir } from 'node:fs/promises';
import type { ProbeContext } from './options';

export async function probeRenderNodes(ctx: ProbeContext): Promise<string[]> {
  const names = await readdir(ctx.host('/dev/dri')).catch(() => [] as string[]);
  return names.filter((n) => /^renderD\d+$/.test(n)).sort().map((n) => `/dev/dri/${n}`);
}
