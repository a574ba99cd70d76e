// The app's long preparations (a first macOS guest, a first Windows guest): each request checked
// up front (so bad input and preflight blockers come back as the call's own error, field by
// field), then run in the background with its progress kept here. The renderer follows the
// job's events and can ask for every job again after a reload or a reconnect, so a long
// download is never lost track of. What differs per guest family is the spec: how to check,
// what a job looks like at first, and how to run it.
import type { Finding, HostCaps } from '../../shared/host-caps';

export interface JobRecord {
  name: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  step: string;
  message: string;
  download?: { file: string; bytes: number; total: number; bytesPerSecond: number; etaSeconds: number | null } | undefined;
  error?: string | undefined;
  /** Findings that did not stop it but must be said (no KVM above all). */
  warnings: Finding[];
}

export interface JobSpec<Req extends { name: string }, Job extends JobRecord> {
  /** Everything knowable before the long steps; throws the call's error; returns what must be said. */
  check(req: Req, caps: HostCaps): Promise<{ warnings: Finding[] }>;
  /** The job as first shown, state 'running'. */
  initial(req: Req, warnings: Finding[]): Job;
  /** The preparation itself; resolves with the message for its end. */
  run(req: Req, o: { caps: HostCaps; signal: AbortSignal; update(patch: Partial<Job>): void; job(): Job }): Promise<string>;
  /** Said when a cancel ended it. */
  cancelled: string;
}

interface Running<Job> {
  job: Job;
  abort: AbortController;
  done: Promise<void>;
}

export class PrepareJobs<Req extends { name: string }, Job extends JobRecord> {
  private readonly jobs = new Map<string, Running<Job>>();
  /** Names being checked right now: a double click must not start two preparations. */
  private readonly checking = new Set<string>();

  constructor(
    private readonly spec: JobSpec<Req, Job>,
    private readonly deps: { probe: () => Promise<HostCaps>; onJob: (job: Job) => void },
  ) {}

  list(): Job[] {
    return [...this.jobs.values()].map((r) => ({ ...r.job }));
  }

  /** Checks the request, then starts it; the returned job is already running. */
  async start(req: Req): Promise<Job> {
    const prev = this.jobs.get(req.name);
    if (prev?.job.state === 'running' || this.checking.has(req.name)) throw new Error(`"${req.name}" is already being prepared${prev ? ` (${prev.job.message})` : ''}`);
    this.checking.add(req.name);
    let caps: HostCaps;
    let warnings: Finding[];
    try {
      caps = await this.deps.probe();
      ({ warnings } = await this.spec.check(req, caps));
    } finally {
      this.checking.delete(req.name);
    }
    const abort = new AbortController();
    const r: Running<Job> = { job: this.spec.initial(req, warnings), abort, done: Promise.resolve() };
    this.jobs.set(req.name, r);
    const update = (patch: Partial<Job>) => {
      r.job = { ...r.job, ...patch };
      this.deps.onJob({ ...r.job });
    };
    r.done = this.spec.run(req, { caps, signal: abort.signal, update, job: () => r.job }).then(
      (message) => update({ state: 'done', message, download: undefined } as Partial<Job>),
      (err: Error) =>
        abort.signal.aborted
          ? update({ state: 'cancelled', message: this.spec.cancelled, download: undefined } as Partial<Job>)
          : update({ state: 'failed', error: err.message, message: `Stopped at this step: ${err.message.split('\n')[0]}`, download: undefined } as Partial<Job>),
    );
    update({});
    return { ...r.job };
  }

  async cancel(name: string): Promise<Job> {
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
