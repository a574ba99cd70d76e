// The launch plan's own check for control characters, before any argument is built: the
// schema refuses them already, but a config can reach the plan without it (built in code, a
// future migration), and the plan is where they would become QEMU's or a sidecar's settings.
import type { VmConfig } from '../../../shared/vm-config';
import { refuseControlChars } from '../qemu-opts';
import type { Sidecar } from './types';

/** Every string in the guest's settings, however deep; the error names its field (`sharedFolders.0.hostPath`). */
export function refuseControlCharsInConfig(config: VmConfig): void {
  const walk = (v: unknown, path: string[]): void => {
    if (typeof v === 'string') refuseControlChars(v, `the guest's ${path.join('.')}`, path.join('.'));
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(config, []);
}

/** A sidecar's words are its configuration (virtiofsd parses `-o` like FUSE, swtpm splits on commas). */
export function refuseControlCharsInSidecars(sidecars: readonly Sidecar[]): void {
  for (const s of sidecars) for (const a of [s.binary, ...s.args]) refuseControlChars(a, `${s.kind}'s arguments`);
}
