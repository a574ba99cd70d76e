import type { Progress } from '../store';

export function ProgressBar({ progress, testId }: { progress: Progress; testId?: string }) {
  const pct = progress.fraction === undefined ? undefined : Math.round(progress.fraction * 100);
  return (
    <div className="progress" data-testid={testId}>
      <div className="progress-label">
        <span>{progress.message}</span>
        {pct !== undefined && <span>{pct}%</span>}
      </div>
      <progress max={100} value={pct} aria-label={progress.operation} />
    </div>
  );
}
