import { describe, expect, it } from 'vitest';
import { ProgressMeter, type DownloadProgress } from '../../../../src/main/macos/recovery/progress';

describe('ProgressMeter', () => {
  it('reports rate over recent samples and the time left', () => {
    let now = 0;
    const seen: DownloadProgress[] = [];
    const m = new ProgressMeter('BaseSystem.dmg', 10_000, (p) => seen.push(p), () => now);
    m.update(2_000, true); // resumed: 2000 bytes were already there
    expect(seen[0]).toEqual({ file: 'BaseSystem.dmg', bytes: 2_000, total: 10_000, bytesPerSecond: 0, etaSeconds: null });
    now = 1_000;
    m.update(3_000);
    expect(seen[1]).toMatchObject({ bytesPerSecond: 1_000, etaSeconds: 7 });
    now = 1_050;
    m.update(3_100); // inside the throttle interval: not reported
    expect(seen).toHaveLength(2);
    now = 2_000;
    m.update(10_000, true);
    expect(seen[2]).toMatchObject({ bytes: 10_000, etaSeconds: 0, bytesPerSecond: 4_000 });
  });
});
