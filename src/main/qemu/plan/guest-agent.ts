// The QEMU guest agent's channel, on every guest: a virtio-serial port named
// org.qemu.guest_agent.0 (the name qemu-ga and the virtio-win guest tools look for), backed by
// a unix socket in this run's private folder. Costs nothing when no agent runs in the guest:
// the port stays closed and Guestbay sees that in QMP's `query-chardev` (qemu/qga/presence.ts)
// before it ever waits on the socket.
import { opts } from '../qemu-opts';
import type { FamilyInput } from './types';

/** The chardev id of the agent's channel; QMP reports `frontend-open` for it. */
export const QGA_CHARDEV = 'qga0';
/** The port name guest agents open. */
export const QGA_PORT_NAME = 'org.qemu.guest_agent.0';

export function qgaSocketPath(runtimeDir: string): string {
  return `${runtimeDir}/qga.sock`;
}

export function addGuestAgent(i: FamilyInput): void {
  if (!i.hasDevice('virtio-serial-pci') || !i.hasDevice('virtserialport')) {
    i.warn('no-guest-agent', 'this QEMU has no virtio-serial: no guest agent channel (clean shutdown without ACPI, addresses, clock after restore)');
    return;
  }
  i.argv.add('-device', opts('virtio-serial-pci', { id: 'qga-serial' }));
  i.argv.add('-chardev', opts('socket', { id: QGA_CHARDEV, path: qgaSocketPath(i.ctx.runtimeDir), server: true, wait: false }));
  i.argv.add('-device', opts('virtserialport', { bus: 'qga-serial.0', chardev: QGA_CHARDEV, name: QGA_PORT_NAME }));
}
