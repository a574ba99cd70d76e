// The app's preparations of macOS guests: each one checked up front (so bad input and preflight
// blockers come back as the call's error, field by field), then run in the background with its
// progress kept here. The renderer follows `macos.job` events and can ask for every job again
// after a reload or a reconnect, so a 20-minute download is never lost track of.
import type { MacosJob, MacosPrepareInput } from '../../shared/contract';
import type { HostCaps } from '../../shared/host-caps';
import type { Store } from '../vm/store';
import { checkMacPrepare, prepareMacGuest, type MacosSources, type PrepareProgress } from './prepare';

export interface MacJobsDeps {
  store: Store;
  probe: () => Promise<HostCaps>;
  env: NodeJS.ProcessEnv;
  sources?: MacosSources;
  onJob: (job: MacosJob) => void;
}

interface Running {
  job: MacosJob;
  abort: AbortController;
  done: Promise<void>;
}

export class MacJobs {
  private readonly jobs = new Map<string, Running>();
  /** Names being checked right now: a double click must not start two preparations. */
  private readonly checking = new Set<string>();

  constructor(private readonly deps: MacJobsDeps) {}

  list(): MacosJob[] {
    return [...this.jobs.values()].map((r) => ({ ...r.job }));
  }

  /** Checks the request, then starts it; the returned job is already running. */
  async start(req: MacosPrepareInput): Promise<MacosJob> {
    const prev = this.jobs.get(req.name);
    if (prev?.job.state === 'running' || this.checking.has(req.name)) throw new Error(`"${req.name}" is already being prepared${prev ? ` (${prev.job.message})` : ''}`);
    this.checking.add(req.name);
    let caps: HostCaps;
    let warnings: MacosJob['warnings'];
    try {
      caps = await this.deps.probe();
      ({ warnings } = await checkMacPrepare(req, { store: this.deps.store, caps }));
    } finally {
      this.checking.delete(req.name);
    }
    const abort = new AbortController();
    const r: Running = {
      job: { name: req.name, release: req.release, state: 'running', step: 'preflight', message: 'Starting', warnings },
      abort,
      done: Promise.resolve(),
    };
    this.jobs.set(req.name, r);
    const update = (patch: Partial<MacosJob>) => {
      r.job = { ...r.job, ...patch };
      this.deps.onJob({ ...r.job });
    };
    r.done = prepareMacGuest(req, {
      store: this.deps.store,
      caps,
      env: this.deps.env,
      sources: this.deps.sources,
      signal: abort.signal,
      onProgress: (p: PrepareProgress) => update({ step: p.step, message: p.message, download: p.download }),
    }).then(
      (res) => update({ state: 'done', message: `"${res.config.name}" is ready to start`, download: undefined }),
      (err: Error) =>
        abort.signal.aborted
          ? update({ state: 'cancelled', message: 'Cancelled: the verified part of the download is kept for next time' })
          : update({ state: 'failed', error: err.message, message: `Stopped at this step: ${err.message.split('\n')[0]}` }),
    );
    update({});
    return { ...r.job };
  }

  async cancel(name: string): Promise<MacosJob> {
    const r = this.jobs.get(name);
    if (!r) throw new Error(`"${name}" is not being prepared`);
    if (r.job.state === 'running') {
      r.abort.abort();
      await r.done;
    }
    return { ...r.job };
  }

  /** Cancels every running preparation and waits for each to let go of its files. */
  async dispose(): Promise<void> {
    for (const r of this.jobs.values()) r.abort.abort();
    await Promise.all([...this.jobs.values()].map((r) => r.done));
  }
}
