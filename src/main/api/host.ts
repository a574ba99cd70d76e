// The host and what can be made on it: the probe and the presets.
import { PRESETS } from '../../shared/presets';
import type { ApiContext, Handlers } from './context';

export function hostHandlers({ deps }: ApiContext): Handlers<'host.probe' | 'presets.list'> {
  return {
    'host.probe': (i) => deps.probe({ refresh: i.refresh }),
    'presets.list': async () => [...PRESETS],
  };
}
