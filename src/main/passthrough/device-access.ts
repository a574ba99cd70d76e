// Whether this user can open what a guest's passthrough needs, checked before start, each
// failure with its fix: a USB device's node (/dev/bus/usb/BBB/DDD, with the udev rule that grants
// it), the evdev keyboard and mouse (/dev/input, the input group), Looking Glass's /dev/kvmfr0.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { HostUsbDevice } from '../../shared/contract';
import type { UsbHostDevice, VmConfig } from '../../shared/vm-config';
import type { Problem } from './problem';

export type Access = 'ok' | 'missing' | 'no-access' | 'not-a-device';

/** A character device this user can read and write (root passes the mode check, as the kernel does). */
export async function deviceAccess(path: string, mode = constants.R_OK | constants.W_OK): Promise<Access> {
  const s = await stat(path).catch(() => null);
  if (!s) return 'missing';
  if (!s.isCharacterDevice()) return 'not-a-device';
  return (await access(path, mode).then(() => true, () => false)) ? 'ok' : 'no-access';
}

export const usbNode = (d: Pick<HostUsbDevice, 'bus' | 'device'>) => `/dev/bus/usb/${String(d.bus).padStart(3, '0')}/${String(d.device).padStart(3, '0')}`;

/** The device plugged in where the config points: its port, else the first with its vendor:product. */
export function pluggedFor(d: UsbHostDevice, plugged: HostUsbDevice[]): HostUsbDevice | undefined {
  if (d.port) return plugged.find((p) => p.port === `${d.port!.bus}-${d.port!.path}`);
  return plugged.find((p) => !p.hub && p.vendorId === d.vendorId && p.productId === d.productId);
}

/** The udev rule that lets the logged-in user open this device (systemd-logind's uaccess tag). */
export function usbUdevRule(d: Pick<UsbHostDevice, 'vendorId' | 'productId'>): string {
  return `SUBSYSTEM=="usb", ATTR{idVendor}=="${d.vendorId}", ATTR{idProduct}=="${d.productId}", TAG+="uaccess"`;
}
export const USB_RULES_FILE = '/etc/udev/rules.d/71-guestbay-usb.rules';

export function checkUsbAccess(config: Pick<VmConfig, 'usb'>, plugged: HostUsbDevice[], access: (node: string) => Access): Problem[] {
  const problems: Problem[] = [];
  config.usb.hostDevices.forEach((d, i) => {
    const p = pluggedFor(d, plugged);
    if (!p) return; // not plugged in: QEMU takes it when it is
    const node = usbNode(p);
    if (access(node) !== 'no-access') return;
    problems.push({
      field: `usb.hostDevices.${i}`,
      message: `Your user may not open ${node} (${p.label}), so QEMU cannot take it.`,
      fix: `Let your user open it: put ${usbUdevRule(p)} in ${USB_RULES_FILE}, then run sudo udevadm control --reload && sudo udevadm trigger, and plug it in again.`,
    });
  });
  return problems;
}

export function checkEvdevAccess(config: Pick<VmConfig, 'input'>, access: (node: string) => Access, user: string): Problem[] {
  const e = config.input.evdev;
  const problems: Problem[] = [];
  for (const [what, path] of [['keyboard', e?.keyboard], ['mouse', e?.mouse]] as const) {
    if (!path) continue;
    const field = `input.evdev.${what}`;
    const a = access(path);
    if (a === 'missing') problems.push({ field, message: `The ${what} ${path} is not there: it is unplugged, or its name changed.`, fix: `Plug it in, or choose the ${what} again in the guest's input settings.` });
    else if (a === 'not-a-device') problems.push({ field, message: `${path} is not an input device.`, fix: `Choose a ${what} under /dev/input/by-id (its name ends in -event-${what === 'keyboard' ? 'kbd' : 'mouse'}).` });
    else if (a === 'no-access') problems.push({ field, message: `Your user may not read ${path}: input devices belong to the input group.`, fix: `Add ${user} to the input group: sudo usermod -aG input ${user}, then log out and in again.` });
  }
  return problems;
}

export function checkKvmfr(config: Pick<VmConfig, 'lookingGlass'>, kvmfr: Access, sizeMiB: number, usesKvmfr: boolean): Problem[] {
  if (!config.lookingGlass || !usesKvmfr || kvmfr === 'ok') return [];
  const field = 'lookingGlass.memory';
  // QEMU would not refuse a missing /dev/kvmfr0: it makes a plain file there when it can.
  if (kvmfr === 'no-access') return [{ field, message: 'Your user may not open /dev/kvmfr0 (Looking Glass\'s KVMFR module).', fix: 'Give it to your user with a udev rule: SUBSYSTEM=="kvmfr", OWNER="<you>", GROUP="kvm", MODE="0660" in /etc/udev/rules.d/99-kvmfr.rules.' }];
  return [{
    field,
    message: kvmfr === 'missing' ? 'There is no /dev/kvmfr0: Looking Glass\'s KVMFR module is not loaded.' : '/dev/kvmfr0 is not the KVMFR module\'s device.',
    fix: `Load it: sudo modprobe kvmfr static_size_mb=${sizeMiB} (the kvmfr-dkms package), or choose the /dev/shm file in the guest's Looking Glass settings.`,
  }];
}
