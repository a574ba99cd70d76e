import type { PresetOptions } from './types';
import type { ShareMethod, SharedFolder } from '../vm-config';

/** Half the host's threads, between 1 and `max`: the host keeps room to breathe. */
export function defaultCores(o: PresetOptions, max: number): number {
  const threads = o.host?.threads ?? 4;
  return Math.max(1, Math.min(max, Math.floor(threads / 2)));
}

/** `want`, but never more than half the host's RAM (nor less than `min`). */
export function defaultMemory(o: PresetOptions, want: number, min: number): number {
  const half = o.host ? Math.floor(o.host.memoryMiB / 2 / 256) * 256 : want;
  return Math.max(min, Math.min(want, half));
}

/** Share tags from folder names: `~/Projects` → `Projects`, unique within the guest. */
export function sharesFrom(paths: readonly string[] | undefined, method: ShareMethod): SharedFolder[] {
  const used = new Set<string>();
  return (paths ?? []).map((hostPath) => {
    const base = hostPath.replace(/\/+$/, '').split('/').pop() || 'share';
    let tag = base.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 28) || 'share';
    for (let n = 2; used.has(tag); n++) tag = `${tag.slice(0, 28)}${n}`;
    used.add(tag);
    return { tag, hostPath, method, readOnly: false };
  });
}
