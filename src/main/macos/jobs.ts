// The app's preparations of macOS guests, run by the shared job module (../jobs/prepare-jobs.ts)
// and followed through `macos.job` events.
import type { MacosJob, MacosPrepareInput } from '../../shared/contract';
import type { HostCaps } from '../../shared/host-caps';
import { PrepareJobs } from '../jobs/prepare-jobs';
import type { Store } from '../vm/store';
import { checkMacPrepare, prepareMacGuest, type MacosSources, type PrepareProgress } from './prepare';

export interface MacJobsDeps {
  store: Store;
  probe: () => Promise<HostCaps>;
  env: NodeJS.ProcessEnv;
  sources?: MacosSources;
  onJob: (job: MacosJob) => void;
}

export class MacJobs extends PrepareJobs<MacosPrepareInput, MacosJob> {
  constructor(deps: MacJobsDeps) {
    super(
      {
        check: (req, caps) => checkMacPrepare(req, { store: deps.store, caps }),
        initial: (req, warnings) => ({ name: req.name, release: req.release, state: 'running', step: 'preflight', message: 'Starting', warnings }),
        run: async (req, { caps, signal, update }) => {
          const res = await prepareMacGuest(req, {
            store: deps.store,
            caps,
            env: deps.env,
            sources: deps.sources,
            signal,
            onProgress: (p: PrepareProgress) => update({ step: p.step, message: p.message, download: p.download }),
          });
          return `"${res.config.name}" is ready to start`;
        },
        cancelled: 'Cancelled: the verified part of the download is kept for next time',
      },
      { probe: deps.probe, onJob: deps.onJob },
    );
  }
}
