// `guestbay probe`: what this host can run, and how to fix what is missing.
import { probeHost } from '../../host/probe';
import { parse, type Command } from '../common';
import { json } from '../output';

export const probe: Command = async (e, args) => {
  const { values } = parse(args, { json: { type: 'boolean' }, 'no-cache': { type: 'boolean' } });
  const caps = await probeHost({ useCache: !values['no-cache'], env: e.env });
  if (values.json) return json(e.io, caps), 0;
  const mark = { ok: '✓', warning: '!', missing: '✗' } as const;
  e.io.out(`Host: ${caps.cpu.model} (${caps.cpu.vendor.toUpperCase()}, ${caps.cpu.threads} threads), ${caps.memory.totalMiB} MiB, ${caps.distro.name}`);
  e.io.out(`Accelerator: ${caps.accel.toUpperCase()}${caps.accel === 'tcg' ? ` — ${caps.kvm.reason}` : ''}`);
  if (caps.qemu) e.io.out(`QEMU: ${caps.qemu.version} (${caps.qemu.binary})`);
  for (const f of caps.findings) {
    e.io.out(`${mark[f.status]} ${f.title}: ${f.detail}`);
    if (f.fix && f.status !== 'ok') e.io.out(`    fix: ${f.fix.text}${f.fix.command ? `\n      ${f.fix.command}` : ''}`);
  }
  return 0;
};
