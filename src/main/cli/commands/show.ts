// `guestbay show N`: every setting of one guest.
import { archOfHost, archWhy, runsNatively } from '../../../shared/os/arch-table';
import { formatSize } from '../../../shared/size';
import { GUEST_ARCH_LABELS } from '../../../shared/vm-choices';
import { needName, parse, type Command } from '../common';
import { json } from '../output';

export const show: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  const config = await e.store.get(needName(positionals));
  if (values.json) return json(e.io, config), 0;
  e.io.out(`${config.name} — ${config.title ?? ''} (${config.os.family} ${config.os.version})`);
  // Every guest's architecture; why an emulated one is slow, in the wizard's words.
  const host = archOfHost(process.arch);
  e.io.out(`  architecture ${GUEST_ARCH_LABELS[config.arch]}${runsNatively(config.arch, host) ? '' : ` (emulated): ${archWhy(config.arch, host)}`}`);
  const threads = config.cpu.threads > 1 ? ` × ${config.cpu.threads} threads` : '';
  e.io.out(`  firmware ${config.firmware}, ${config.cpu.cores} cores${threads} (${config.cpu.model}), ${config.memoryMiB} MiB`);
  // "Memory in a file": saves and switches in a blink, at a cost in disk space and writes.
  e.io.out(
    config.memoryFile
      ? `  memory in a file: on (memory.ram in the guest's folder: uses ${formatSize(config.memoryMiB * 2 ** 20)} of disk; the host writes the guest's changed memory to the disk while it runs)`
      : '  memory in a file: off',
  );
  for (const d of config.disks) e.io.out(`  disk ${d.id}: ${d.path} (${d.format}, ${d.bus}, cache ${d.cache}${d.size ? `, ${formatSize(d.size)}` : ''})`);
  for (const m of config.media) e.io.out(`  drive ${m.id} (${m.role}): ${m.path ?? 'empty'} (${m.as} on ${m.bus})`);
  const net = config.network;
  e.io.out(`  network ${net.mode}${net.bridge ? ` on ${net.bridge}` : ''} (${net.nic}${net.mac ? `, ${net.mac}` : ''})${net.portForwards.map((f) => ` ${f.hostAddress}:${f.hostPort}→${f.guestPort}/${f.protocol}`).join('')}`);
  for (const s of config.sharedFolders) e.io.out(`  share "${s.tag}": ${s.hostPath} (${s.method}${s.readOnly ? ', read-only' : ''})`);
  for (const u of config.usb.hostDevices) e.io.out(`  USB ${u.vendorId}:${u.productId}${u.label ? ` (${u.label})` : ''}`);
  e.io.out(`  display ${config.display.device}, sound ${config.audio.device}`);
  if (config.tpm.enabled) e.io.out('  TPM 2.0');
  if (config.bootOrder) e.io.out(`  boot order ${config.bootOrder.join(', ')}`);
  if (config.autostart) e.io.out('  starts with Guestbay (autostart)');
  return 0;
};
