// Guests as documents: preview, create, read, change, delete, and what they leave behind (the
// command, logs, a picture of the screen).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { hostLimits } from '../../shared/limits';
import type { VmConfig } from '../../shared/vm-config';
import { pasteableCommand } from '../disks/launch-script';
import { readPngHeader } from '../media';
import { buildLaunchPlan, type LaunchPlan } from '../qemu/plan';
import { shellCommand } from '../qemu/shell-quote';
import { createGuest, previewGuest } from '../vm/create';
import { planContext } from '../vm/plan-context';
import { guestbayFolder as guestbayFolderSetting } from '../vm/app-settings';
import { guestbayFolderChoice } from '../qemu/plan/guestbay-folder';
import { thumbnail } from '../vm/screenshot';
import { tail } from '../vm/sidecars';
import { GuestExistsError } from '../vm/store';
import { guestStatus } from '../vm/supervisor';
import type { ApiContext, Handlers } from './context';

export function planView(name: string, plan: LaunchPlan) {
  return {
    command: shellCommand([plan.binary, ...plan.args]),
    paste: pasteableCommand(name, plan),
    accel: plan.accel,
    warnings: plan.warnings,
    sidecars: plan.sidecars.map((s) => ({ kind: s.kind, purpose: s.purpose, command: shellCommand([s.binary, ...s.args], { wrap: false }) })),
  };
}

type GuestCalls = 'guests.preview' | 'guests.list' | 'guests.get' | 'guests.create' | 'guests.cmdline' | 'guests.logs' | 'guests.screenshot';

export function guestHandlers({ deps, home, changed }: ApiContext): Handlers<GuestCalls> {
  const { store, supervisor, probe } = deps;
  // The API has no working directory of its own: relative paths are relative to the home.
  const createOpts = async () => ({ cwd: home, home, host: hostLimits(await probe()), diskFolder: store.paths.vms, paths: store.paths, caps: probe });
  // The plan as a start would build it, the Guestbay folder included (plan-context.ts).
  const plan = async (config: VmConfig) => {
    store.dirs(config.name);
    return buildLaunchPlan(config, await probe(), await planContext(store.paths, config));
  };

  return {
    'guests.preview': async (i) => {
      const r = await previewGuest(i, await createOpts());
      if (await store.exists(r.config.name)) throw new GuestExistsError(r.config.name);
      // What the Guestbay folder would be in this guest, ticked or not: the wizard says it by its tickbox.
      const folder = await guestbayFolderSetting(store.paths);
      const choice = guestbayFolderChoice(r.config, await probe(), folder.path);
      const guestbayFolder = { path: folder.path, method: choice.share?.method ?? null, notes: choice.notes };
      try {
        const view = planView(r.config.name, await plan(r.config));
        // The review page lists the command's warnings: a share of the whole home belongs there too.
        return { ...r, guestbayFolder, plan: { ...view, warnings: [...r.warnings.map((w) => ({ id: 'share-wide', message: w.message })), ...view.warnings] } };
      } catch (e) {
        // A guest this host cannot run yet (no virtiofsd, no swtpm…) can still be reviewed and
        // created; the review page says what is missing.
        return { ...r, guestbayFolder, planError: (e as Error).message };
      }
    },
    'guests.list': async () => {
      // Statuses come from the supervisor, which finds running guests from their runtime
      // records: a running guest with a damaged vm.json (or none) is listed, and can be stopped.
      // One read of every vm.json: the statuses reuse the listing.
      const listed = await store.list();
      const statuses = new Map((await supervisor.attachAll(listed)).map((s) => [s.name, s]));
      const out = [];
      for (const g of listed) {
        const status = statuses.get(g.name);
        statuses.delete(g.name);
        if (g.config) out.push({ name: g.name, config: g.config, revision: g.revision, status: status ?? guestStatus(g.name, { kind: 'unreadable', reason: 'its status could not be read' }) });
        // A damaged guest that is not running has no status beyond its damage (the error says it).
        else out.push({ name: g.name, error: g.error, ...(status && status.state !== 'stopped' ? { status } : {}) });
      }
      for (const [name, status] of statuses) out.push({ name, error: `its folder ${store.dirs(name).dir} no longer exists`, status });
      return out;
    },
    'guests.get': async (i) => {
      const { config, revision } = await store.read(i.name);
      return { config, revision, status: await supervisor.status(i.name) };
    },
    'guests.create': async (i) => {
      const r = await createGuest(store, i, await createOpts());
      await changed(r.config.name);
      return r;
    },
    'guests.cmdline': async (i) => planView(i.name, await plan(await store.get(i.name))),
    'guests.logs': async (i) => {
      await store.get(i.name);
      const { logDir } = store.dirs(i.name);
      const files = (await readdir(logDir).catch(() => [])).filter((f) => f.endsWith('.log')).sort();
      return Promise.all(files.map(async (f) => ({ file: f, text: await tail(join(logDir, f), i.lines) })));
    },
    'guests.screenshot': async (i) => {
      const png = await thumbnail(await supervisor.monitor(i.name), { workDir: store.dirs(i.name).runtimeDir, maxWidth: i.maxWidth, maxHeight: i.maxHeight });
      const { width, height } = readPngHeader(png);
      return { png: png.toString('base64'), width, height };
    },
  };
}
