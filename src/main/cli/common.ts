// What every CLI command shares: its environment, argument parsing, and driving guests through
// a supervisor that lets go of them (they keep running) when the command ends.
import { homedir } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { EditResult } from '../../shared/contract';
import type { HostCaps } from '../../shared/host-caps';
import type { GuestEditor } from '../vm/edit/editor';
import { Store } from '../vm/store';
import { guestbayPaths } from '../vm/paths';
import type { GuestStatus, StageHook, Supervisor } from '../vm/supervisor';
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

export type Command = (e: Env, args: string[]) => Promise<number>;

export function parse<const T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, positionals = 0) {
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

export function needName(p: string[]): string {
  const name = p[0];
  if (!name) throw new UsageError('name the guest, e.g. `guestbay show win11`');
  return name;
}

/** `--accel` as the plan takes it, or a usage error. */
export function accelFlag(value: string | undefined): 'kvm' | 'tcg' | undefined {
  if (value !== undefined && value !== 'kvm' && value !== 'tcg') throw new UsageError('--accel is kvm or tcg');
  return value;
}

/**
 * Tests only: GUESTBAY_TEST_PAUSE_AT=<stage> stops a start at that stage (after-sidecar:<id>,
 * after-qemu-spawn, before-record) until it is interrupted; GUESTBAY_TEST_FAIL_AT=<stage> throws
 * there. Without them (as always outside tests) the supervisor gets no hook at all.
 */
export function stageHook(e: Env): StageHook | undefined {
  const pauseAt = e.env.GUESTBAY_TEST_PAUSE_AT;
  const failAt = e.env.GUESTBAY_TEST_FAIL_AT;
  if (!pauseAt && !failAt) return undefined;
  return async (stage, signal) => {
    if (stage === failAt) throw new Error(`test hook: failing at ${stage}`);
    if (stage !== pauseAt) return;
    e.io.err(`guestbay: test hook: paused at ${stage}`);
    await new Promise<never>((_, reject) => {
      const keepAlive = setInterval(() => {}, 60_000);
      signal?.addEventListener('abort', () => (clearInterval(keepAlive), reject(signal.reason)), { once: true });
    });
  };
}

/**
 * A supervisor whose progress messages go to stderr. The supervisor, the probe and the editor
 * are imported when a command first needs them (here and in withEditor), not with this file:
 * every command imports it, and `probe` or `list` should not load the whole app to start.
 */
export async function supervisor(e: Env, probe?: () => Promise<HostCaps>): Promise<Supervisor> {
  const [{ Supervisor }, { probeHost }] = await Promise.all([import('../vm/supervisor'), import('../host/probe')]);
  const sup = new Supervisor({ store: e.store, probe: probe ?? (() => probeHost({ env: e.env })), stageHook: stageHook(e) });
  sup.onEvent((ev) => {
    if (ev.type === 'progress') e.io.err(`${ev.name}: ${ev.message}${ev.fraction !== undefined ? ` (${Math.round(ev.fraction * 100)}%)` : ''}`);
  });
  return sup;
}

export function describe(s: GuestStatus): string {
  const extra = [s.pid ? `pid ${s.pid}` : '', s.accel ? s.accel.toUpperCase() : '', s.detail ?? ''].filter(Boolean).join(', ');
  // A QEMU that does not answer is there, but its run state is unknown: say what is known.
  const shown = s.problems?.some((p) => p.kind === 'not-answering') ? 'not answering' : s.problems?.length ? `${s.state}, degraded` : s.state;
  const problems = (s.problems ?? []).map((p) => `\n  ! ${p.message}\n    what to do: ${p.fix}`).join('');
  return `${s.name}: ${shown}${extra ? ` (${extra})` : ''}${problems}${s.logTail ? `\n--- last lines of the log ---\n${s.logTail}` : ''}`;
}

/**
 * The host probe begun now, so that its ~100 file reads overlap what the command does before it
 * needs the answers (a start reads the guest and loads the supervisor meanwhile: ~20 ms of its
 * ~30). The first caller gets this answer; later callers probe afresh, as they would without it.
 */
export function probeFromNow(e: Env): () => Promise<HostCaps> {
  const load = import('../host/probe');
  let first: Promise<HostCaps> | undefined = load.then(({ probeHost }) => probeHost({ env: e.env }));
  first.catch(() => undefined); // asked for later, or never if the command fails first
  return () => {
    const p = first;
    first = undefined;
    return p ?? load.then(({ probeHost }) => probeHost({ env: e.env }));
  };
}

/** Runs `fn` with a supervisor, then lets go of the guests (they keep running). */
export async function withSupervisor<T>(e: Env, fn: (sup: Supervisor) => Promise<T>, probe?: () => Promise<HostCaps>): Promise<T> {
  const sup = await supervisor(e, probe);
  try {
    return await fn(sup);
  } finally {
    await sup.detach();
  }
}

/** Runs `fn` with the editor every change goes through (the same one the API uses), then lets go of the guests. */
export async function withEditor<T>(e: Env, fn: (editor: GuestEditor, sup: Supervisor) => Promise<T>): Promise<T> {
  const [{ GuestEditor }, { probeHost }] = await Promise.all([import('../vm/edit/editor'), import('../host/probe')]);
  return withSupervisor(e, (sup) => fn(new GuestEditor({ store: e.store, supervisor: sup, probe: () => probeHost({ env: e.env }) }), sup));
}

/** The home folder, for `~` in paths the user typed. */
export function homeOf(e: Env): string {
  return e.env.HOME || homedir();
}

/** What an edit did, as the CLI says it: saved, changed now, waiting for the next start; warnings on stderr. */
export function printEdit(e: Env, name: string, r: EditResult): void {
  for (const w of r.warnings) e.io.err(`warning: ${w.message}`);
  e.io.out(`Saved the settings of ${name}.`);
  for (const line of r.appliedLive) e.io.out(`  Now: ${line}.`);
  if (r.pending?.changes.length) {
    e.io.out(`  At the next start: ${r.pending.changes.map((c) => c.label).join(', ')} (guestbay pending ${name} shows the command before and after).`);
  }
}

/** Runs a lifecycle command and prints the guest's status. */
export function lifecycle(e: Env, asJson: boolean | undefined, fn: (sup: Supervisor) => Promise<GuestStatus>, probe?: () => Promise<HostCaps>): Promise<number> {
  return withSupervisor(
    e,
    async (sup) => {
      const st = await fn(sup);
      if (asJson) json(e.io, st);
      else e.io.out(describe(st));
      return 0;
    },
    probe,
  );
}
