// A preparation job as a guided setup follows it: its steps (done, current with the job's
// message, pending), the download's progress, the warnings, and Cancel while it runs. How the
// job ended (failed, done) stays with each page. Test ids: `<prefix>-prepare-<step>`,
// `<prefix>-download`, `<prefix>-warning-<id>`, `<prefix>-cancel`.
import type { ReactNode } from 'react';
import { formatDuration } from '../../../shared/progress-format';
import { formatSize } from '../../../shared/size';
import { Mark } from '../Icons';

interface Job {
  step: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  message: string;
  download?: { file: string; bytes: number; total: number; bytesPerSecond: number; etaSeconds: number | null };
  warnings: { id: string; title: string; detail: string }[];
}

export function JobSteps({ prefix, steps, job, downloadLabel, cancelLabel, onCancel, children }: { prefix: 'macos' | 'windows'; steps: readonly { step: string; title: string }[]; job: Job; downloadLabel: string; cancelLabel: string; onCancel(): void; children?: ReactNode }) {
  const at = steps.findIndex((s) => s.step === job.step);
  const d = job.download;
  return (
    <>
      <ol className="prepare-steps">
        {steps.map((s, i) => {
          const state = job.state === 'done' || i < at ? 'done' : i === at ? (job.state === 'running' ? 'current' : job.state) : 'pending';
          return (
            <li key={s.step} className={`prepare-step prepare-${state}`} data-testid={`${prefix}-prepare-${s.step}`} data-state={state}>
              {state === 'done' && <Mark kind="check" label="Done" />} {s.title}
              {i === at && job.state === 'running' && <span className="hint"> {job.message}</span>}
            </li>
          );
        })}
      </ol>
      {d && job.state === 'running' && (
        <div className="progress" data-testid={`${prefix}-download`}>
          <div className="progress-label">
            <span>
              {d.file}: {formatSize(d.bytes)} of {formatSize(d.total)}
              {d.bytesPerSecond > 0 && `, ${formatSize(d.bytesPerSecond)}/s`}
              {d.etaSeconds !== null && d.bytes < d.total && `, about ${formatDuration(d.etaSeconds)} left`}
            </span>
            <span>{d.total > 0 ? Math.floor((d.bytes / d.total) * 100) : 0}%</span>
          </div>
          <progress max={d.total} value={d.bytes} aria-label={downloadLabel} />
        </div>
      )}
      {job.warnings.map((w) => (
        <p key={w.id} className="notice notice-warning" data-testid={`${prefix}-warning-${w.id}`}>
          <strong>{w.title}.</strong> {w.detail}
        </p>
      ))}
      {children}
      {job.state === 'running' && (
        <button type="button" className="btn" data-testid={`${prefix}-cancel`} onClick={onCancel}>
          {cancelLabel}
        </button>
      )}
    </>
  );
}
