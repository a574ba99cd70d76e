// The virtual graphics card and where its screen goes. Without a graphical session (SSH, a
// headless box) a window cannot open, so the screen goes to a private VNC socket instead.
import type { DisplayDevice } from '../../../shared/vm-config';
import { opts } from '../qemu-opts';
import { decideGl } from './gl';
import { PlanError, type FamilyInput } from './types';

/** QEMU's device for each display a config can name, plain and with OpenGL (virgl). */
const DEVICE: Record<Exclude<DisplayDevice, 'auto' | 'none'>, { plain: string; gl: string | null; edid: boolean }> = {
  'virtio-vga': { plain: 'virtio-vga', gl: 'virtio-vga-gl', edid: true },
  'virtio-gpu': { plain: 'virtio-gpu-pci', gl: 'virtio-gpu-gl-pci', edid: true },
  std: { plain: 'VGA', gl: null, edid: true },
  qxl: { plain: 'qxl-vga', gl: null, edid: false },
  'vmware-svga': { plain: 'vmware-svga', gl: null, edid: false },
  ramfb: { plain: 'ramfb', gl: null, edid: false },
};

export function addDisplay(i: FamilyInput): void {
  const { config, argv, ctx, caps } = i;
  const kind = config.display.device === 'auto' ? i.os.display : config.display.device;

  let backend = ctx.headless ? 'none' : config.display.backend;
  if ((backend === 'gtk' || backend === 'sdl') && !caps.session.graphical) {
    i.warn('display-headless', 'No graphical session here: the screen goes to a private VNC socket instead of a window (open it with remote-viewer).');
    backend = 'vnc';
  }
  if ((backend === 'gtk' || backend === 'sdl') && !i.qemu.displays.includes(backend)) {
    const alt = (['gtk', 'sdl'] as const).find((b) => i.qemu.displays.includes(b));
    i.warn('display-backend', `this QEMU has no ${backend} display${alt ? `: using ${alt}` : ': using VNC'}.`);
    backend = alt ?? 'vnc';
  }

  // OpenGL is decided once the screen's destination is known (gl.ts).
  const gl = config.display.gl && kind !== 'none' ? decideGl({ glDevice: DEVICE[kind].gl, backend, qemu: i.qemu, renderNodes: caps.renderNodes }) : null;
  if (gl && !gl.gl) i.warn('display-gl', gl.warning);
  const on = gl?.gl ? gl : null;

  if (kind !== 'none') {
    const d = DEVICE[kind];
    const name: string = on ? on.device : d.plain;
    if (!i.hasDevice(name)) throw new PlanError(`this QEMU has no ${name} display device`, 'display.device');
    const res = config.display.resolution;
    argv.add(
      '-device',
      opts(name, {
        xres: d.edid ? res?.width : undefined,
        yres: d.edid ? res?.height : undefined,
        // macOS needs room for a Retina-sized framebuffer.
        vgamem_mb: kind === 'vmware-svga' ? 256 : undefined,
      }),
    );
  }

  // Without a window, a GL device still needs a GL display: egl-headless instead of none.
  const noWindow = on?.display === 'egl-headless' ? opts('egl-headless', { rendernode: on.renderNode }) : 'none';
  switch (backend) {
    case 'gtk':
    case 'sdl':
      argv.add('-display', opts(backend, { gl: on ? true : undefined }));
      break;
    case 'spice':
      argv.add('-display', 'none');
      argv.add('-spice', opts(null, { unix: true, addr: `${ctx.runtimeDir}/spice.sock`, 'disable-ticketing': true, gl: on ? true : undefined, rendernode: on?.renderNode }));
      break;
    case 'vnc':
      argv.add('-display', noWindow);
      // A unix socket in the private runtime dir: nobody else on the machine can connect.
      argv.add('-vnc', `unix:${ctx.runtimeDir}/vnc.sock`);
      break;
    default:
      argv.add('-display', noWindow);
  }
}
