// The virtual graphics card and where its screen goes.
//
// Guestbay's own view (the default) is QEMU's VNC server on a unix socket in the guest's
// private runtime folder: never a TCP port, and no VNC password, because nobody but the user
// can open that 0700 folder. The main process bridges it to the app's window or browser tab
// (src/main/display/). QEMU's own window (GTK/SDL, with virgl) or SPICE for remote-viewer is
// the other choice, the fastest on the machine's own desktop; the VNC socket is added beside it
// too (so the app's view and the library's picture still work), except with OpenGL in a window
// or SPICE, where QEMU's VNC cannot read the GL scanout. Guestbay's own view with OpenGL renders
// off-screen through egl-headless on a render node, which VNC can read (gl.ts decides).
import { AGENT_CHARDEV } from '../display-agent';
import type { DisplayDevice } from '../../../shared/vm-config';
import { autoDisplay } from '../../../shared/os/arch-table';
import { opts } from '../qemu-opts';
import { decideGl } from './gl';
import { PlanError, type FamilyInput, type LaunchPlan } from './types';

/** QEMU's device for each display a config can name, plain and with OpenGL (virgl). */
const DEVICE: Record<Exclude<DisplayDevice, 'auto' | 'none'>, { plain: string; gl: string | null; edid: boolean }> = {
  'virtio-vga': { plain: 'virtio-vga', gl: 'virtio-vga-gl', edid: true },
  'virtio-gpu': { plain: 'virtio-gpu-pci', gl: 'virtio-gpu-gl-pci', edid: true },
  std: { plain: 'VGA', gl: null, edid: true },
  qxl: { plain: 'qxl-vga', gl: null, edid: false },
  'vmware-svga': { plain: 'vmware-svga', gl: null, edid: false },
  ramfb: { plain: 'ramfb', gl: null, edid: false },
};

/** Devices whose guest driver picks up a new preferred mode from the EDID QEMU updates on a resize request. */
const RESIZES_WITH_WINDOW = new Set(['virtio-vga', 'virtio-gpu']);

export function vncSocketPath(runtimeDir: string): string {
  return `${runtimeDir}/vnc.sock`;
}

export function addDisplay(i: FamilyInput): LaunchPlan['display'] {
  const { config, argv, ctx, caps } = i;
  // auto: the OS's own best, unless it needs a PC's VGA the guest's machine lacks (arch table).
  const kind = config.display.device === 'auto' ? autoDisplay(config.arch, i.os.display) : config.display.device;

  // Where the screen goes, decided first: OpenGL and the device depend on it.
  let viewer = ctx.headless ? 'guestbay' : config.display.viewer;
  let window: 'gtk' | 'sdl' | 'spice' = config.display.window;
  if (viewer === 'window' && window !== 'spice' && !caps.session.graphical) {
    i.warn('display-headless', 'No graphical session here, so QEMU cannot open its own window: the screen is shown in Guestbay instead.');
    viewer = 'guestbay';
  }
  if (viewer === 'window' && window !== 'spice' && !i.qemu.displays.includes(window)) {
    const alt = (['gtk', 'sdl'] as const).find((b) => i.qemu.displays.includes(b));
    i.warn('display-backend', `this QEMU has no ${window} display${alt ? `: using ${alt}` : ': the screen is shown in Guestbay instead'}.`);
    if (alt) window = alt;
    else viewer = 'guestbay';
  }
  if (viewer === 'window' && window === 'spice' && !hasSpice(i)) {
    i.warn('display-spice', 'this QEMU has no SPICE server: the screen is shown in Guestbay instead.');
    viewer = 'guestbay';
  }

  // OpenGL is decided once the screen's destination is known (gl.ts).
  const glBackend = viewer === 'window' ? window : 'vnc';
  const glWish = config.display.gl && kind !== 'none' ? decideGl({ glDevice: DEVICE[kind].gl, backend: glBackend, qemu: i.qemu, renderNodes: caps.renderNodes }) : null;
  if (glWish && !glWish.gl) i.warn('display-gl', glWish.warning);
  const gl = glWish?.gl ? glWish : null;
  if (kind !== 'none') {
    const d = DEVICE[kind];
    const name: string = gl ? gl.device : d.plain;
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

  const out: LaunchPlan['display'] = { viewer: viewer as 'guestbay' | 'window', agent: false, resizes: kind !== 'none' && RESIZES_WITH_WINDOW.has(kind) };
  if (viewer === 'window') {
    if (window === 'spice') {
      argv.add('-display', 'none');
      // remote-viewer spice+unix://…: the same private folder guards it as the VNC socket.
      out.spiceSocket = `${ctx.runtimeDir}/spice.sock`;
      argv.add('-spice', opts(null, { unix: true, addr: out.spiceSocket, 'disable-ticketing': true, gl: gl ? true : undefined, rendernode: gl?.renderNode }));
    } else {
      argv.add('-display', opts(window, { gl: gl ? true : undefined }));
    }
  } else {
    // Without a window, a GL device still needs a GL display: egl-headless instead of none.
    argv.add('-display', gl?.display === 'egl-headless' ? opts('egl-headless', { rendernode: gl.renderNode }) : 'none');
  }
  if (kind !== 'none' && (!gl || gl.display === 'egl-headless')) {
    out.vncSocket = vncSocketPath(ctx.runtimeDir);
    // A unix socket in the private runtime dir: nobody else on the machine can connect.
    argv.add('-vnc', opts(`unix:${out.vncSocket}`));
  }
  out.agent = addAgent(i, out);
  return out;
}

/** QEMU has `-spice` when its SPICE modules are installed: the probe sees them as the spicevmc chardev and the spice-app display. */
function hasSpice(i: FamilyInput): boolean {
  return i.qemu.chardevs.includes('spicevmc') || i.qemu.displays.includes('spice-app');
}

/**
 * The clipboard agent's channel: a virtio-serial port named com.redhat.spice.0, where the
 * guest's spice-vdagent listens. For Guestbay's view, QEMU's own `qemu-vdagent` chardev speaks
 * the agent protocol and hands the clipboard to VNC's clipboard extension (QEMU 6.1+); for
 * SPICE, the SPICE server's own channel does. Its pointer messages stay off: the USB tablet
 * already gives an absolute pointer, with or without the agent.
 */
function addAgent(i: FamilyInput, d: LaunchPlan['display']): boolean {
  if (!i.os.spiceAgent || !i.hasDevice('virtio-serial-pci') || !i.hasDevice('virtserialport')) return false;
  let chardev: string;
  if (d.spiceSocket && i.qemu.chardevs.includes('spicevmc')) chardev = opts('spicevmc', { id: AGENT_CHARDEV, name: 'vdagent' });
  else if (d.vncSocket && i.qemu.chardevs.includes('qemu-vdagent')) {
    // Saving a guest (and so switching between guests) matters more than its clipboard: where
    // this QEMU cannot migrate the vdagent chardev (7.2 and 10.0 refuse), it is left out.
    if (!i.qemu.vdagentMigrates) {
      d.agentNote = 'This QEMU cannot save a guest that has its clipboard channel (qemu-vdagent blocks migration before QEMU 10.1), so Guestbay leaves it out and the guest can still be saved: no clipboard sharing.';
      return false;
    }
    chardev = opts('qemu-vdagent', { id: AGENT_CHARDEV, name: 'vdagent', clipboard: true, mouse: false });
  } else return false;
  i.argv.add('-device', opts('virtio-serial-pci', { id: 'vser0' }));
  i.argv.add('-chardev', chardev);
  i.argv.add('-device', opts('virtserialport', { bus: 'vser0.0', chardev: AGENT_CHARDEV, name: 'com.redhat.spice.0' }));
  return true;
}
