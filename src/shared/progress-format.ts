// A download's progress in words, the same in the terminal and in the app.
import { formatSize } from './size';

export interface ProgressFigures {
  file: string;
  bytes: number;
  total: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatProgress(p: ProgressFigures): string {
  const pct = p.total > 0 ? Math.floor((p.bytes / p.total) * 100) : 0;
  const rate = p.bytesPerSecond > 0 ? `, ${formatSize(p.bytesPerSecond)}/s` : '';
  const eta = p.bytes >= p.total ? '' : p.etaSeconds !== null ? `, about ${formatDuration(p.etaSeconds)} left` : '';
  return `${p.file}: ${formatSize(p.bytes)} of ${formatSize(p.total)} (${pct}%)${rate}${eta}`;
}

/** `message [########......] 42%`, for a terminal line redrawn in place. */
export function formatProgressBar(message: string, fraction: number, width = 30): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `${message} [${'#'.repeat(full)}${'.'.repeat(width - full)}] ${Math.floor(f * 100)}%`;
}
