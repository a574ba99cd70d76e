// Whether a guest's OpenGL (virgl) can work with this QEMU, this host and where its screen
// goes, and what that takes. QEMU refuses a GL device without a GL display ("-display none"),
// a GL device whose module is missing ("missing object type 'virtio-gpu-gl-device'"), and
// egl-headless without a render node ("egl: no drm render node available"): each is decided
// here from HostCaps, and a GL wish that cannot be met becomes a warning, not a failed start.
import type { HostCaps } from '../../../shared/host-caps';

export type GlBackend = 'gtk' | 'sdl' | 'spice' | 'vnc' | 'none';

export interface GlInput {
  /** The GL variant of the chosen graphics card, or null when it has none. */
  glDevice: string | null;
  /** Where the screen goes, after every fallback (no session → VNC…). */
  backend: GlBackend;
  qemu: Pick<NonNullable<HostCaps['qemu']>, 'glDevices' | 'displays'>;
  renderNodes: readonly string[];
}

export type GlDecision =
  | { gl: false; warning: string }
  /** `display`: how the display gets its GL context: its own window, SPICE's, or egl-headless on `renderNode`. */
  | { gl: true; device: string; display: 'window' | 'spice' | 'egl-headless'; renderNode?: string };

export function decideGl(i: GlInput): GlDecision {
  const off = (why: string): GlDecision => ({ gl: false, warning: `3D acceleration is off: ${why}. The display runs without it.` });
  if (!i.glDevice) return off('this graphics card has no OpenGL variant (choose virtio-vga or virtio-gpu)');
  if (!i.qemu.glDevices.includes(i.glDevice)) {
    return off(`this QEMU cannot create ${i.glDevice}: its OpenGL module is not installed (Arch: qemu-hw-display-virtio-gpu-gl and qemu-hw-display-virtio-vga-gl; Debian: qemu-system-gui or qemu-system-modules-opengl)`);
  }
  if (i.backend === 'gtk' || i.backend === 'sdl') return { gl: true, device: i.glDevice, display: 'window' };
  const node = i.renderNodes[0];
  if (!node) return off('there is no GPU render node (/dev/dri/renderD*) to draw on without a window');
  if (i.backend === 'spice') return { gl: true, device: i.glDevice, display: 'spice', renderNode: node };
  // VNC or no screen at all: QEMU needs a GL display all the same, and egl-headless is the one
  // that renders off-screen (then VNC shows its result).
  if (!i.qemu.displays.includes('egl-headless')) return off('this QEMU has no egl-headless display, which OpenGL needs without a window (install its OpenGL module)');
  return { gl: true, device: i.glDevice, display: 'egl-headless', renderNode: node };
}
