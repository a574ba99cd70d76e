// `guestbay show N`: every setting of one guest.
import { formatSize } from '../../../shared/size';
import { needName, parse, type Command } from '../common';
import { json } from '../output';

export const show: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  const config = await e.store.get(needName(positionals));
  if (values.json) return json(e.io, config), 0;
  e.io.out(`${config.name} — ${config.title ?? ''} (${config.os.family} ${config.os.version})`);
  e.io.out(`  firmware ${config.firmware}, ${config.cpu.cores} cores (${config.cpu.model}), ${config.memoryMiB} MiB`);
  for (const d of config.disks) e.io.out(`  disk ${d.id}: ${d.path} (${d.format}, ${d.bus}${d.size ? `, ${formatSize(d.size)}` : ''})`);
  for (const m of config.media) e.io.out(`  ${m.role}: ${m.path} (${m.as} on ${m.bus})`);
  e.io.out(`  network ${config.network.mode} (${config.network.nic})${config.network.portForwards.map((f) => ` ${f.hostAddress}:${f.hostPort}→${f.guestPort}/${f.protocol}`).join('')}`);
  for (const s of config.sharedFolders) e.io.out(`  share "${s.tag}": ${s.hostPath} (${s.method}${s.readOnly ? ', read-only' : ''})`);
  if (config.tpm.enabled) e.io.out('  TPM 2.0');
  return 0;
};
