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
import { Supervisor, type GuestState, type GuestStatus } from '../vm/supervisor';
import { tail } from '../vm/sidecars';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { screenshot } from '../vm/screenshot';
import { macosDownload } from '../macos/recovery/cli';
import { describePrepared, macosFinishCmd, macosPrepareCmd, macosPreflightCmd } from '../macos/cli';
import { SOURCE_OPTIONS, SOURCE_USAGE, sourcesFromFlags } from '../macos/sources';
import { createApi } from '../api';
import { serve } from '../server/serve';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { json, UsageError, type Io } from './output';

/** The project (or installed app) root: the CLI runs from dist/cli.mjs or src/main/cli/. */
const ROOT_DIR = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith('/dist') ? dirname(here) : join(here, '..', '..', '..');
})();

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

function supervisor(e: Env): Supervisor {
  const sup = new Supervisor({ store: e.store, probe: () => probeHost({ env: e.env }) });
  sup.onEvent((ev) => {
    if (ev.type === 'progress') e.io.err(`${ev.name}: ${ev.message}${ev.fraction !== undefined ? ` (${Math.round(ev.fraction * 100)}%)` : ''}`);
  });
  return sup;
}

function describe(s: GuestStatus): string {
  const extra = [s.pid ? `pid ${s.pid}` : '', s.accel ? s.accel.toUpperCase() : '', s.detail ?? ''].filter(Boolean).join(', ');
  return `${s.name}: ${s.state}${extra ? ` (${extra})` : ''}${s.logTail ? `\n--- last lines of the log ---\n${s.logTail}` : ''}`;
}

/** Runs `fn` with a supervisor, then lets go of the guests (they keep running). */
async function withSupervisor<T>(e: Env, fn: (sup: Supervisor) => Promise<T>): Promise<T> {
  const sup = supervisor(e);
  try {
    return await fn(sup);
  } finally {
    await sup.detach();
  }
}

/** Runs a lifecycle command and prints the guest's status. */
function lifecycle(e: Env, asJson: boolean | undefined, fn: (sup: Supervisor) => Promise<GuestStatus>): Promise<number> {
  return withSupervisor(e, async (sup) => {
    const st = await fn(sup);
    if (asJson) json(e.io, st);
    else e.io.out(describe(st));
    return 0;
  });
}

const start: Command = async (e, args) => {
  const { values, positionals } = parse(
    args,
    { accel: { type: 'string' }, headless: { type: 'boolean' }, paused: { type: 'boolean' }, fresh: { type: 'boolean' }, wait: { type: 'boolean' }, json: { type: 'boolean' } },
    1,
  );
  if (values.accel !== undefined && values.accel !== 'kvm' && values.accel !== 'tcg') throw new UsageError('--accel is kvm or tcg');
  const name = needName(positionals);
  const opts = { accel: values.accel as 'kvm' | 'tcg' | undefined, headless: values.headless, paused: values.paused, fresh: values.fresh };
  if (!values.wait) return lifecycle(e, values.json, (sup) => sup.start(name, opts));
  // --wait: stay attached, report every state change, return when the guest ends.
  const sup = supervisor(e);
  const ended = new Promise<GuestState>((resolve) =>
    sup.onEvent((ev) => {
      if (ev.type !== 'state' || ev.name !== name) return;
      e.io.out(`${name}: ${ev.state}${ev.detail ? ` (${ev.detail})` : ''}`);
      if (ev.state === 'stopped' || ev.state === 'crashed' || ev.state === 'saved') resolve(ev.state);
    }),
  );
  await sup.start(name, opts);
  return (await ended) === 'crashed' ? 1 : 0;
};

const stop: Command = async (e, args) => {
  const { values, positionals } = parse(args, { force: { type: 'boolean' }, timeout: { type: 'string' }, json: { type: 'boolean' } }, 1);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && !(timeout >= 0)) throw new UsageError('--timeout is a number of seconds');
  return lifecycle(e, values.json, (sup) => sup.stop(needName(positionals), { force: values.force, timeoutMs: timeout === undefined ? undefined : timeout * 1000 }));
};

const simple = (op: 'pause' | 'resume' | 'reset' | 'save'): Command => async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  return lifecycle(e, values.json, (sup) => sup[op](needName(positionals)));
};

const restore: Command = async (e, args) => {
  const { values, positionals } = parse(args, { headless: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  return lifecycle(e, values.json, (sup) => sup.restore(needName(positionals), { headless: values.headless }));
};

const switchCmd: Command = async (e, args) => {
  const { values, positionals } = parse(args, { headless: { type: 'boolean' }, json: { type: 'boolean' } }, 1);
  return withSupervisor(e, async (sup) => {
    const r = await sup.switchTo(needName(positionals), { headless: values.headless });
    if (values.json) return json(e.io, r), 0;
    e.io.out(`${r.decision.summary} — done in ${(r.elapsedMs / 1000).toFixed(1)} s`);
    e.io.out(describe(r.status));
    return 0;
  });
};

const status: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
  return withSupervisor(e, async (sup) => {
    const list = positionals[0] ? [await sup.status(positionals[0])] : await sup.statusAll();
    if (values.json) return json(e.io, positionals[0] ? list[0] : list), 0;
    if (list.length === 0) e.io.out('No guests yet.');
    for (const st of list) e.io.out(describe(st));
    return 0;
  });
};

const screenshotCmd: Command = async (e, args) => {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 2);
  const name = needName(positionals);
  if (!positionals[1]) throw new UsageError('name the PNG file to write, e.g. `guestbay screenshot win11 screen.png`');
  const file = resolve(e.cwd, positionals[1]);
  return withSupervisor(e, async (sup) => {
    const shot = await screenshot(await sup.monitor(name), file, { workDir: e.store.dirs(name).runtimeDir });
    if (values.json) return json(e.io, { file, ...shot }), 0;
    e.io.out(`${file}: ${shot.width}×${shot.height}`);
    return 0;
  });
};

/** Resolves on the first SIGINT or SIGTERM; a second one gets Node's default (exit). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

const serveCmd: Command = async (e, args) => {
  const { values } = parse(args, { port: { type: 'string' }, ...SOURCE_OPTIONS });
  const macosSources = await sourcesFromFlags(values, e.cwd);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) throw new UsageError('--port is a number from 1 to 65535 (0 or none: any free port)');
  const sup = supervisor(e);
  // Guests started from another window or the CLI show up as running, with their events.
  await sup.attachAll().catch((err: Error) => e.io.err(`guestbay: re-attaching to running guests failed: ${err.message}`));
  const api = createApi({ store: e.store, supervisor: sup, probe: (o) => probeHost({ env: e.env, useCache: !o?.refresh }), env: e.env, macosSources });
  let served;
  try {
    served = await serve({ api, staticDir: join(ROOT_DIR, 'dist', 'renderer'), port });
  } catch (err) {
    await api.dispose();
    throw err;
  }
  const signal = untilSignal();
  e.io.out(`Guestbay is serving on ${served.url}`);
  e.io.out(`Only this machine can connect. From another one: ssh -L ${served.port}:127.0.0.1:${served.port} <this host>, then open the URL there.`);
  e.io.out('Ctrl-C stops the server; running guests keep running.');
  await signal;
  await served.close();
  // Lets go of the guests without stopping them.
  await api.dispose();
  e.io.err('guestbay: server stopped');
  return 0;
};

const logs: Command = async (e, args) => {
  const { values, positionals } = parse(args, { lines: { type: 'string' } }, 1);
  const name = needName(positionals);
  await e.store.get(name);
  const n = values.lines === undefined ? 40 : Number(values.lines);
  const { logDir } = e.store.dirs(name);
  const files = (await readdir(logDir).catch(() => [])).filter((f) => f.endsWith('.log')).sort();
  if (files.length === 0) e.io.out(`No logs yet for "${name}" (${logDir}).`);
  for (const f of files) {
    e.io.out(`==> ${join(logDir, f)} <==`);
    e.io.out(await tail(join(logDir, f), n));
  }
  return 0;
};

/** Ctrl-C ends a long download cleanly: the verified chunks stay in the .partial file for next time. */
async function cancellable<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ctrl = new AbortController();
  const stop = () => ctrl.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await run(ctrl.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

const MACOS_HELP = 'try `guestbay macos preflight --release sonoma`, `guestbay macos prepare --release sonoma --name mac` or `guestbay macos finish mac`';

const macos: Command = async (e, args) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'download': {
      const { values } = parse(rest, { release: { type: 'string' }, dir: { type: 'string' }, 'recovery-server': { type: 'string' }, 'recovery-key': { type: 'string' }, json: { type: 'boolean' } });
      const r = await cancellable((signal) => macosDownload(e.io, { release: values.release, dir: values.dir, recoveryServer: values['recovery-server'], recoveryKey: values['recovery-key'] }, e.cwd, { signal }));
      if (values.json) return json(e.io, r), 0;
      e.io.out(r.image);
      e.io.out(r.chunklist);
      return 0;
    }
    case 'preflight': {
      const { values } = parse(rest, { release: { type: 'string' }, json: { type: 'boolean' } });
      const caps = await probeHost({ env: e.env });
      const io = values.json ? { out: () => {}, err: e.io.err } : e.io;
      const findings = await macosPreflightCmd(io, values.release, { store: e.store, caps });
      if (values.json) json(e.io, findings);
      return findings.some((f) => f.status === 'missing') ? 1 : 0;
    }
    case 'prepare': {
      const { values } = parse(rest, {
        release: { type: 'string' },
        name: { type: 'string' },
        title: { type: 'string' },
        'disk-size': { type: 'string' },
        resolution: { type: 'string' },
        share: { type: 'string', multiple: true },
        'allow-tcg': { type: 'boolean' },
        json: { type: 'boolean' },
        ...SOURCE_OPTIONS,
      });
      const sources = await sourcesFromFlags(values, e.cwd);
      const caps = await probeHost({ env: e.env });
      const r = await cancellable((signal) =>
        macosPrepareCmd(
          e.io,
          { release: values.release, name: values.name, title: values.title, diskSize: values['disk-size'], resolution: values.resolution, shares: values.share?.map((s) => resolve(e.cwd, s)), allowTcg: values['allow-tcg'] },
          { store: e.store, caps, env: e.env, sources, signal },
        ),
      );
      if (values.json) return json(e.io, r), 0;
      describePrepared(e.io, r, e.store.dirs(r.config.name).dir);
      return 0;
    }
    case 'finish': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, 1);
      return withSupervisor(e, async (sup) => {
        const r = await macosFinishCmd(values.json ? { out: () => {}, err: e.io.err } : e.io, positionals[0], { store: e.store, status: (n) => sup.status(n) });
        if (values.json) json(e.io, r);
        return 0;
      });
    }
    default:
      throw new UsageError(sub ? `unknown macos command "${sub}": ${MACOS_HELP}` : MACOS_HELP);
  }
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
  start: { run: start, usage: 'start N [--accel tcg|kvm] [--headless] [--paused] [--fresh] [--wait]   a saved guest is restored unless --fresh' },
  stop: { run: stop, usage: 'stop N [--force] [--timeout S]          ACPI power-down, then quit after S seconds (default 60)' },
  pause: { run: simple('pause'), usage: 'pause N' },
  resume: { run: simple('resume'), usage: 'resume N' },
  reset: { run: simple('reset'), usage: 'reset N                                hard reset, like the reset button' },
  save: { run: simple('save'), usage: 'save N                                 write the whole running guest to a file and end it' },
  restore: { run: restore, usage: 'restore N [--headless]                 continue a saved guest where it was' },
  switch: { run: switchCmd, usage: 'switch N [--headless]                  save or stop what holds N\'s devices or memory, then run N' },
  status: { run: status, usage: 'status [N] [--json]' },
  screenshot: { run: screenshotCmd, usage: 'screenshot N FILE.png                   the guest\'s screen as PNG' },
  serve: { run: serveCmd, usage: `serve [--port N] ${SOURCE_USAGE}   the app in a browser, on 127.0.0.1 with a per-run token` },
  logs: { run: logs, usage: 'logs N [--lines K]                     QEMU, sidecar and serial logs' },
  macos: {
    run: macos,
    usage: [
      'macos preflight --release R [--json]    what this host needs for macOS R, each finding with its fix',
      `macos prepare --release R --name N [--disk-size 80G] [--resolution 1920x1080] [--share DIR]… [--allow-tcg] ${SOURCE_USAGE} [--json]   recovery from Apple, recovery disk, OpenCore, and the guest`,
      'macos finish N                         after the install: detach the recovery disk, boot the installed disk',
      'macos download --release R --dir D [--recovery-server URL] [--recovery-key F.pem] [--json]   recovery image from Apple, verified, resumable',
    ].join('\n  guestbay '),
  },
};
