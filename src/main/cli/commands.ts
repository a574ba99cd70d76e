// The CLI's commands over the same services the app uses (store, probe, launch plan).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PRESETS } from '../../shared/presets';
import { formatSize } from '../../shared/size';
import { probeHost } from '../host/probe';
import { buildLaunchPlan } from '../qemu/plan';
import { shellCommand } from '../qemu/shell-quote';
import { createGuest } from '../vm/create';
import { prepareAsShell } from '../vm/prepare';
import { Store } from '../vm/store';
import { guestbayPaths } from '../vm/paths';
import { json, UsageError, type Io } from './output';

export interface Env {
  io: Io;
  store: Store;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function makeEnv(io: Io, env = process.env, cwd = process.cwd()): Env {
  return { io, store: new Store(guestbayPaths(env)), env, cwd };
}

type Command = (e: Env, args: string[]) => Promise<number>;

function parse<const T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals = 0) {
  // A string option takes the next word as its value even when it starts with "-", as getopt
  // does, so `--disk-size -5G` reaches validation and gets a specific message.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!.startsWith('--') ? args[i]!.slice(2) : undefined;
    if (name && options[name]?.type === 'string' && args[i + 1]?.startsWith('-')) joined.push(`--${name}=${args[++i]}`);
    else joined.push(args[i]!);
  }
  try {
    const r = parseArgs({ args: joined, options, allowPositionals: true, strict: true });
    if (r.positionals.length > positionals) throw new UsageError(`unexpected argument "${r.positionals[positionals]}"`);
    return r;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message);
  }
}

function needName(p: string[]): string {
  const name = p[0];
  if (!name) throw new UsageError('name the guest, e.g. `guestbay show win11`');
  return name;
}

const probe: Command = async (e, args) => {
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

const create: Command = async (e, args) => {
  const { values } = parse(args, {
    preset: { type: 'string' },
    name: { type: 'string' },
    title: { type: 'string' },
    'disk-size': { type: 'string' },
    iso: { type: 'string' },
    drivers: { type: 'string' },
    kernel: { type: 'string' },
    initrd: { type: 'string' },
    append: { type: 'string' },
    share: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  if (!values.preset) throw new UsageError(`--preset is required: ${PRESETS.map((p) => p.id).join(', ')}`);
  if (values.name === undefined) throw new UsageError('--name is required');
  const result = await createGuest(
    e.store,
    {
      preset: values.preset,
      name: values.name,
      title: values.title,
      diskSize: values['disk-size'],
      iso: values.iso,
      driversIso: values.drivers,
      kernel: values.kernel,
      initrd: values.initrd,
      append: values.append,
      shares: values.share,
    },
    { cwd: e.cwd },
  );
  if (values.json) return json(e.io, result), 0;
  e.io.out(`Created "${result.config.name}" (${result.config.title}) in ${e.store.dirs(result.config.name).dir}`);
  for (const [field, why] of Object.entries(result.reasons)) e.io.out(`  ${field}: ${why}`);
  return 0;
};

const list: Command = async (e, args) => {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const guests = await e.store.list();
  if (values.json) return json(e.io, guests.map((g) => ({ name: g.name, title: g.config?.title, os: g.config?.os, error: g.error }))), 0;
  if (guests.length === 0) e.io.out('No guests yet. Create one: guestbay create --preset linux --name my-linux');
  for (const g of guests) e.io.out(g.config ? `${g.name}\t${g.config.title ?? ''}\t${g.config.os.family} ${g.config.os.version}` : `${g.name}\tdamaged: ${g.error}`);
  return 0;
};

const show: Command = async (e, args) => {
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

const cmdline: Command = async (e, args) => {
  const { values, positionals } = parse(args, { accel: { type: 'string' }, headless: { type: 'boolean' }, paused: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  if (values.accel !== undefined && values.accel !== 'kvm' && values.accel !== 'tcg') throw new UsageError('--accel is kvm or tcg');
  const name = needName(positionals);
  const config = await e.store.get(name);
  const caps = await probeHost({ env: e.env });
  const d = e.store.dirs(name);
  const plan = buildLaunchPlan(config, caps, {
    vmDir: d.dir,
    runtimeDir: d.runtimeDir,
    logDir: d.logDir,
    headless: values.headless,
    paused: values.paused,
    accel: values.accel as 'kvm' | 'tcg' | undefined,
  });
  if (values.json) return json(e.io, plan), 0;
  for (const w of plan.warnings) e.io.err(`# warning: ${w.message}`);
  for (const s of plan.sidecars) e.io.err(`# needs ${s.kind} first (${s.purpose}): ${shellCommand([s.binary, ...s.args], { wrap: false })}`);
  const lines = [...prepareAsShell(plan), shellCommand([plan.binary, ...plan.args])];
  e.io.out(lines.join(' &&\n'));
  return 0;
};

const del: Command = async (e, args) => {
  const { values, positionals } = parse(args, { yes: { type: 'boolean' }, 'delete-disks': { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  const name = needName(positionals);
  await e.store.get(name); // a missing or damaged guest is reported before asking for --yes
  if (!values.yes) {
    throw new UsageError(`deleting "${name}" needs --yes (its disk images are kept unless you add --delete-disks)`);
  }
  const { kept } = await e.store.delete(name, { deleteDisks: values['delete-disks'] });
  if (values.json) return json(e.io, { deleted: name, kept }), 0;
  e.io.out(`Deleted "${name}".${kept.length ? ` Kept its images:\n  ${kept.join('\n  ')}` : ''}`);
  return 0;
};

const presets: Command = async (e, args) => {
  const { values } = parse(args, { json: { type: 'boolean' } });
  if (values.json) return json(e.io, PRESETS), 0;
  for (const p of PRESETS) e.io.out(`${p.id.padEnd(18)} ${p.title} — ${p.description}`);
  return 0;
};

export const COMMANDS: Record<string, { run: Command; usage: string }> = {
  probe: { run: probe, usage: 'probe [--json] [--no-cache]            what this host can run, and how to fix what is missing' },
  presets: { run: presets, usage: 'presets [--json]                       the presets create accepts' },
  create: {
    run: create,
    usage: 'create --preset P --name N [--disk-size 64G] [--iso F] [--drivers F] [--kernel F --initrd F --append S] [--share DIR]… [--json]',
  },
  list: { run: list, usage: 'list [--json]' },
  show: { run: show, usage: 'show N [--json]' },
  cmdline: { run: cmdline, usage: 'cmdline N [--accel tcg|kvm] [--headless] [--paused] [--json]   the exact command, ready to paste' },
  delete: { run: del, usage: 'delete N --yes [--delete-disks]        disk images are kept unless --delete-disks' },
};
