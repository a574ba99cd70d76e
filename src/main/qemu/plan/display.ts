// The virtual graphics card and where its screen goes. Without a graphical session (SSH, a
// headless box) a window cannot open, so the screen goes to a private VNC socket instead.
import type { DisplayDevice } from '../../../shared/vm-config';
import { opts } from '../qemu-opts';
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
  let gl = config.display.gl;
  if (kind !== 'none') {
    const d = DEVICE[kind];
    let name: string = d.plain;
    if (gl && d.gl && i.hasDevice(d.gl)) name = d.gl;
    else if (gl) {
      i.warn('display-gl', `3D acceleration is not available for ${kind} with this QEMU: the display runs without it.`);
      gl = false;
    }
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
  switch (backend) {
    case 'gtk':
    case 'sdl':
      argv.add('-display', opts(backend, { gl: gl ? true : undefined }));
      break;
    case 'spice':
      argv.add('-display', 'none');
      argv.add('-spice', opts(null, { unix: true, addr: `${ctx.runtimeDir}/spice.sock`, 'disable-ticketing': true }));
      break;
    case 'vnc':
      argv.add('-display', 'none');
      // A unix socket in the private runtime dir: nobody else on the machine can connect.
      argv.add('-vnc', `unix:${ctx.runtimeDir}/vnc.sock`);
      break;
    default:
      argv.add('-display', 'none');
  }
}
