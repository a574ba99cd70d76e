import { describe, expect, it } from 'vitest';
import { checkEvdevAccess, checkKvmfr, checkUsbAccess, pluggedFor, usbUdevRule, type Access } from '../../../src/main/passthrough/device-access';
import { listUsbDevices } from '../../../src/main/host/usb';
import { fixture } from '../host/helpers';

const plugged = () => listUsbDevices({ root: fixture('trees', 'usb-desktop') });

describe('USB device nodes', () => {
  it('finds the device by port or by vendor:product, and offers the udev rule when its node is closed', async () => {
    const devices = await plugged();
    const byPort = devices.find((d) => d.port === '1-1.2')!;
    expect(pluggedFor({ vendorId: '0000', productId: '0000', port: { bus: 1, path: '1.2' } }, devices)).toBe(byPort);
    expect(pluggedFor({ vendorId: byPort.vendorId, productId: byPort.productId }, devices)?.port).toBe('1-1.2');
    const node = `/dev/bus/usb/001/${String(byPort.device).padStart(3, '0')}`;
    const closed = (n: string): Access => (n === node ? 'no-access' : 'ok');
    const cfg = { usb: { controller: 'xhci' as const, hostDevices: [{ vendorId: byPort.vendorId, productId: byPort.productId }, { vendorId: 'ffff', productId: 'ffff' }] } };
    expect(checkUsbAccess(cfg, devices, closed)).toEqual([
      {
        field: 'usb.hostDevices.0',
        message: `Your user may not open ${node} (${byPort.label}), so QEMU cannot take it.`,
        fix: `Let your user open it: put ${usbUdevRule(byPort)} in /etc/udev/rules.d/71-guestbay-usb.rules, then run sudo udevadm control --reload && sudo udevadm trigger, and plug it in again.`,
      },
    ]);
    expect(usbUdevRule({ vendorId: '046d', productId: 'c52b' })).toBe('SUBSYSTEM=="usb", ATTR{idVendor}=="046d", ATTR{idProduct}=="c52b", TAG+="uaccess"');
    expect(checkUsbAccess(cfg, devices, () => 'ok')).toEqual([]);
  });
});

describe('evdev and KVMFR nodes', () => {
  const input = (keyboard?: string, mouse?: string) => ({ input: { keyboard: 'usb' as const, pointer: 'usb-tablet' as const, evdev: { keyboard, mouse, toggle: 'ctrl-ctrl' as const } } });
  it('the input group for a closed node, choosing again for a missing one', () => {
    const kbd = '/dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd';
    const mouse = '/dev/input/by-id/usb-Logitech_G203-event-mouse';
    const p = checkEvdevAccess(input(kbd, mouse), (n) => (n === kbd ? 'no-access' : 'missing'), 'ada');
    expect(p).toEqual([
      { field: 'input.evdev.keyboard', message: `Your user may not read ${kbd}: input devices belong to the input group.`, fix: 'Add ada to the input group: sudo usermod -aG input ada, then log out and in again.' },
      { field: 'input.evdev.mouse', message: `The mouse ${mouse} is not there: it is unplugged, or its name changed.`, fix: 'Plug it in, or choose the mouse again in the guest\'s input settings.' },
    ]);
    expect(checkEvdevAccess(input(kbd), () => 'ok', 'ada')).toEqual([]);
  });

  it('KVMFR: the module to load (QEMU itself would make a plain file at /dev/kvmfr0 when it can)', () => {
    const cfg = { lookingGlass: { memory: 'kvmfr' as const, width: 1920, height: 1080 } };
    expect(checkKvmfr(cfg, 'missing', 32, true)[0]).toEqual({
      field: 'lookingGlass.memory',
      message: 'There is no /dev/kvmfr0: Looking Glass\'s KVMFR module is not loaded.',
      fix: 'Load it: sudo modprobe kvmfr static_size_mb=32 (the kvmfr-dkms package), or choose the /dev/shm file in the guest\'s Looking Glass settings.',
    });
    expect(checkKvmfr(cfg, 'not-a-device', 32, true)[0]?.message).toBe('/dev/kvmfr0 is not the KVMFR module\'s device.');
    expect(checkKvmfr(cfg, 'missing', 32, false)).toEqual([]); // the /dev/shm file is used (a virtiofs share)
  });
});
