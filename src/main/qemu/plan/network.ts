// The guest's NIC and how it reaches the world: user-mode NAT (with port forwards and the SMB
// share), a host bridge, or nothing.
import type { NicModel } from '../../../shared/vm-config';
import { opts } from '../qemu-opts';
import { bootIndexes } from './drives';
import { NETDEV_ID } from './ids';
import { PlanError, type FamilyInput } from './types';

/** QEMU's device for each NIC model a config can name. */
const NIC_DEVICE: Record<NicModel, string> = {
  'virtio-net': 'virtio-net-pci',
  e1000e: 'e1000e',
  e1000: 'e1000',
  rtl8139: 'rtl8139',
  vmxnet3: 'vmxnet3',
};

export function addNetwork(i: FamilyInput): void {
  const { config, argv } = i;
  const net = config.network;
  const smb = config.sharedFolders.filter((s) => s.method === 'smb');
  if (net.mode === 'none') {
    if (smb.length) throw new PlanError('an SMB share travels over user-mode networking: turn networking on', 'network.mode');
    return;
  }
  if (net.mode === 'user') {
    if (smb.length > 1) throw new PlanError('QEMU serves one SMB share per guest: share a common parent folder, or use virtiofs or 9p', 'sharedFolders');
    if (smb.length === 1 && !i.caps.tools.smbd) {
      throw new PlanError('an SMB share needs Samba\'s smbd on the host (install samba)', 'sharedFolders');
    }
    // QEMU's hostfwd syntax: proto:hostaddr:hostport-guestaddr:guestport.
    const hostfwd = net.portForwards.map((f) => `${f.protocol}:${f.hostAddress}:${f.hostPort}-:${f.guestPort}`);
    for (const f of net.portForwards) {
      if (f.hostAddress !== '127.0.0.1') {
        i.warn('port-forward-lan', `port ${f.hostPort} is forwarded on ${f.hostAddress}: other machines on your network can reach the guest's port ${f.guestPort}.`);
      }
    }
    // Several hostfwd= keys in one -netdev are how QEMU takes several forwards.
    const parts = [opts('user', { id: NETDEV_ID, smb: smb[0]?.hostPath }), ...hostfwd.map((h) => opts(null, { hostfwd: h }))];
    argv.add('-netdev', parts.join(','));
  } else {
    if (!i.caps.tools.qemuBridgeHelper) throw new PlanError('bridged networking needs qemu-bridge-helper (part of QEMU) ', 'network.mode');
    argv.add('-netdev', opts('bridge', { id: NETDEV_ID, br: net.bridge }));
  }
  const device = NIC_DEVICE[net.nic];
  if (!i.hasDevice(device)) throw new PlanError(`this QEMU has no ${device} network device`, 'network.nic');
  // Network boot (PXE) only when the boot order asks for it.
  argv.add('-device', opts(device, { netdev: NETDEV_ID, mac: net.mac, bootindex: bootIndexes(config).get('network') }));
}
