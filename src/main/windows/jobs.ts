// The app's preparations of Windows guests: the same prepare code the CLI runs
// (prepare.ts), in the shared job module (../jobs/prepare-jobs.ts), followed through
// `windows.job` events. The password goes to the answer disk and nowhere else: the job
// keeps the request only while it runs, and never shows it.
import type { WindowsJob, WindowsPrepareInput } from '../../shared/contract';
import type { HostCaps } from '../../shared/host-caps';
import { DownloadError } from '../download/errors';
import { PrepareJobs } from '../jobs/prepare-jobs';
import type { Store } from '../vm/store';
import { productPage } from './microsoft/download';
import { checkWindowsPrepare, prepareWindowsGuest, type WindowsSources } from './prepare';

export interface WindowsJobsDeps {
  store: Store;
  probe: () => Promise<HostCaps>;
  env: NodeJS.ProcessEnv;
  sources?: WindowsSources;
  onJob: (job: WindowsJob) => void;
}

export class WindowsJobs extends PrepareJobs<WindowsPrepareInput, WindowsJob> {
  constructor(deps: WindowsJobsDeps) {
    super(
      {
        check: (req, caps) => checkWindowsPrepare(req, { store: deps.store, caps }),
        initial: (req, warnings) => ({ name: req.name, state: 'running', step: 'preflight', message: 'Starting', warnings, notes: [] }),
        run: async (req, { caps, signal, update, job }) => {
          try {
            const res = await prepareWindowsGuest(req, {
              store: deps.store,
              caps,
              env: deps.env,
              ...(deps.sources ? { sources: deps.sources } : {}),
              signal,
              onProgress: (p) => {
                const notes = p.note && !job().notes.includes(p.note) ? [...job().notes, p.note] : job().notes;
                update({ step: p.step, message: p.message, download: p.download, notes });
              },
            });
            return `"${res.config.name}" is ready to start: Windows ${res.iso.version}, ${res.edition}, account ${req.user}`;
          } catch (e) {
            if (e instanceof DownloadError && e.code === 'refused' && req.download) update({ manualPage: productPage(req.download, deps.sources?.microsoft) });
            throw e;
          }
        },
        cancelled: 'Cancelled: nothing was created; the verified part of a download is kept for next time',
      },
      { probe: deps.probe, onJob: deps.onJob },
    );
  }
}
