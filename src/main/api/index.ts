// The contract's implementation, the same for every transport (Electron IPC, the headless
// WebSocket, in-process tests): `dispatch` validates the input against the contract, runs the
// handler over the services, and answers a Reply — it never throws.
import { homedir } from 'node:os';
import type { z } from 'zod';
import { calls, isCallName, type CallName, type CallOutput, type Calls, type EventMessage, type Reply } from '../../shared/contract';
import type { HostCaps } from '../../shared/host-caps';
import { PRESETS } from '../../shared/presets';
import { parseVmConfig } from '../../shared/migrations';
import { buildLaunchPlan, type LaunchPlan } from '../qemu/plan';
import { shellCommand } from '../qemu/shell-quote';
import { createGuest, previewGuest } from '../vm/create';
import { thumbnail } from '../vm/screenshot';
import { tail } from '../vm/sidecars';
import type { Store } from '../vm/store';
import type { Supervisor } from '../vm/supervisor';
import { toWireError } from './errors';
import { switchNotification } from '../desktop/notifications';
import { listDir } from './files';
import { identifyMedia } from './media';
import { SerialConsoles } from './serial';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GuestStateError } from '../vm/supervisor';

export interface Pickers {
  file(o: { title: string; filters?: { name: string; extensions: string[] }[] }): Promise<string | null>;
  folder(o: { title: string }): Promise<string | null>;
}

export interface ApiDeps {
  store: Store;
  supervisor: Supervisor;
  probe: (o?: { refresh?: boolean }) => Promise<HostCaps>;
  env: NodeJS.ProcessEnv;
  pickers?: Pickers;
  /** Tests: check every output against the contract too. */
  validateOutputs?: boolean;
}

export interface Api {
  dispatch(call: string, input: unknown): Promise<Reply>;
  onEvent(fn: (m: EventMessage) => void): () => void;
  dispose(): Promise<void>;
}

type Handlers = { [C in CallName]: (input: z.output<Calls[C]['input']>) => Promise<CallOutput<C>> };

function planView(plan: LaunchPlan) {
  return {
    command: shellCommand([plan.binary, ...plan.args]),
    accel: plan.accel,
    warnings: plan.warnings,
    sidecars: plan.sidecars.map((s) => ({ kind: s.kind, purpose: s.purpose, command: shellCommand([s.binary, ...s.args], { wrap: false }) })),
  };
}

export function createApi(deps: ApiDeps): Api {
  const { store, supervisor, probe } = deps;
  const listeners = new Set<(m: EventMessage) => void>();
  const emit = (m: EventMessage) => {
    for (const fn of listeners) fn(m);
  };
  const consoles = new SerialConsoles((name, data) => emit({ event: 'serial.data', payload: { name, data } }));
  const unsubscribe = supervisor.onEvent((e) => {
    if (e.type === 'state') {
      emit({ event: 'guest.state', payload: { name: e.name, state: e.state, detail: e.detail } });
      if (e.state === 'stopped' || e.state === 'crashed' || e.state === 'saved') consoles.close(e.name);
    } else {
      emit({ event: 'progress', payload: { name: e.name, operation: e.operation, message: e.message, fraction: e.fraction } });
    }
  });
  const home = deps.env.HOME || homedir();
  const planFor = async (name: string) => {
    const config = await store.get(name);
    const d = store.dirs(name);
    return buildLaunchPlan(config, await probe(), { vmDir: d.dir, runtimeDir: d.runtimeDir, logDir: d.logDir });
  };
  const cwd = { cwd: home };

  const h: Handlers = {
    'host.probe': (i) => probe({ refresh: i.refresh }),
    'presets.list': async () => [...PRESETS],
    'guests.preview': async (i) => {
      const r = await previewGuest(i, cwd);
      const d = store.dirs(r.config.name);
      try {
        const plan = buildLaunchPlan(r.config, await probe(), { vmDir: d.dir, runtimeDir: d.runtimeDir, logDir: d.logDir });
        return { ...r, plan: planView(plan) };
      } catch (e) {
        return { ...r, planError: (e as Error).message };
      }
    },
    'guests.list': async () => {
      const out = [];
      for (const g of await store.list()) {
        if (!g.config) {
          out.push({ name: g.name, error: g.error });
          continue;
        }
        const status = await supervisor.status(g.name).catch((e: Error) => ({ name: g.name, state: 'stopped' as const, detail: e.message }));
        out.push({ name: g.name, config: g.config, status });
      }
      return out;
    },
    'guests.get': async (i) => ({ config: await store.get(i.name), status: await supervisor.status(i.name) }),
    'guests.create': (i) => createGuest(store, i, cwd),
    'guests.update': async (i) => {
      const config = parseVmConfig(i.config);
      const st = await supervisor.status(config.name);
      if (st.state !== 'stopped' && st.state !== 'crashed') throw new GuestStateError(`"${config.name}" is ${st.state}: settings can change only while it is stopped`);
      await store.update(config);
      return config;
    },
    'guests.delete': async (i) => {
      const st = await supervisor.status(i.name);
      if (st.state !== 'stopped' && st.state !== 'crashed' && st.state !== 'saved') throw new GuestStateError(`"${i.name}" is ${st.state}: stop it before deleting it`);
      return store.delete(i.name, { deleteDisks: i.deleteDisks });
    },
    'guests.start': (i) => supervisor.start(i.name, { headless: i.headless, paused: i.paused, fresh: i.fresh }),
    'guests.stop': (i) => supervisor.stop(i.name, { force: i.force, timeoutMs: i.timeoutSeconds === undefined ? undefined : i.timeoutSeconds * 1000 }),
    'guests.pause': (i) => supervisor.pause(i.name),
    'guests.resume': (i) => supervisor.resume(i.name),
    'guests.reset': (i) => supervisor.reset(i.name),
    'guests.save': (i) => supervisor.save(i.name),
    'guests.restore': (i) => supervisor.restore(i.name),
    'guests.switch': async (i) => {
      const r = await supervisor.switchTo(i.name);
      const titles = Object.fromEntries((await store.list()).map((g) => [g.name, g.config?.title ?? g.name]));
      return { summary: r.decision.summary, status: r.status, elapsedMs: r.elapsedMs, notification: switchNotification(r.decision, titles, i.name, r.elapsedMs) };
    },
    'guests.cmdline': async (i) => planView(await planFor(i.name)),
    'guests.logs': async (i) => {
      await store.get(i.name);
      const { logDir } = store.dirs(i.name);
      const files = (await readdir(logDir).catch(() => [])).filter((f) => f.endsWith('.log')).sort();
      return Promise.all(files.map(async (f) => ({ file: f, text: await tail(join(logDir, f), i.lines) })));
    },
    'guests.screenshot': async (i) => {
      const png = await thumbnail(await supervisor.monitor(i.name), { workDir: store.dirs(i.name).runtimeDir, maxWidth: i.maxWidth, maxHeight: i.maxHeight });
      return { png: png.toString('base64'), width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
    },
    'serial.open': async (i) => {
      const record = await supervisor.record(i.name);
      if (!record) throw new GuestStateError(`"${i.name}" is not running`);
      await consoles.connect(i.name, record.plan.runtime.serialSocket);
      return { ok: true as const };
    },
    'serial.write': async (i) => {
      consoles.write(i.name, i.data);
      return { ok: true as const };
    },
    'serial.close': async (i) => {
      consoles.close(i.name);
      return { ok: true as const };
    },
    'media.identify': (i) => identifyMedia(i.path),
    'dialog.pickFile': async (i) => (deps.pickers ? { supported: true, path: await deps.pickers.file(i) } : { supported: false, path: null }),
    'dialog.pickFolder': async (i) => (deps.pickers ? { supported: true, path: await deps.pickers.folder(i) } : { supported: false, path: null }),
    'fs.list': (i) => listDir(i.dir ?? home),
  };

  return {
    async dispatch(call, input) {
      if (!isCallName(call)) return { ok: false, error: { name: 'UnknownCall', message: `there is no call named "${call}"` } };
      const spec = calls[call];
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
        return { ok: false, error: { name: 'ValidationError', message: `invalid ${call} request: ${fields.map((f) => `${f.field || 'input'}: ${f.message}`).join('; ')}`, fields } };
      }
      try {
        const output = await (h[call] as (i: unknown) => Promise<unknown>)(parsed.data);
        if (deps.validateOutputs) spec.output.parse(output);
        return { ok: true, output };
      } catch (e) {
        return { ok: false, error: toWireError(e) };
      }
    },
    onEvent(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async dispose() {
      unsubscribe();
      consoles.closeAll();
      listeners.clear();
      await supervisor.detach();
    },
  };
}
