// The host and what can be made on it: the probe and the presets, each with its OS's traits
// and the settings it makes on this machine (sized as a create here would size them).
import { PRESETS } from '../../shared/presets';
import { describePreset } from '../../shared/presets/describe';
import { hostLimits } from '../vm/create';
import type { ApiContext, Handlers } from './context';

export function hostHandlers({ deps }: ApiContext): Handlers<'host.probe' | 'presets.list'> {
  return {
    'host.probe': (i) => deps.probe({ refresh: i.refresh }),
    'presets.list': async () => {
      const host = hostLimits();
      return PRESETS.map((p) => describePreset(p, host));
    },
  };
}
