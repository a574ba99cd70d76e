// The real API over a real Store and Supervisor in a private HOME (no QEMU needed unless a
// test starts a guest).
import { probeHost } from '../../src/main/host/probe';
import { createApi, type ApiDeps, type Pickers } from '../../src/main/api';
import type { MacosSources } from '../../src/main/macos/prepare';
import type { WindowsSources } from '../../src/main/windows/prepare';
import { guestbayPaths } from '../../src/main/vm/paths';
import { Store } from '../../src/main/vm/store';
import { Supervisor } from '../../src/main/vm/supervisor';
import type { HostCaps } from '../../src/shared/host-caps';
import { tempHome } from './cli';

export interface ApiWorldOptions {
  /** Changes the real probe's answer (a host without virtiofsd…). */
  caps?: (real: HostCaps) => HostCaps;
  pickers?: Pickers;
  /** Where macOS downloads come from (test/main/macos/fake-sources.ts). */
  macosSources?: MacosSources;
  /** Where the Windows downloads come from (test/helpers/fake-microsoft.ts, range-server.ts). */
  windowsSources?: WindowsSources;
  /** The host's USB devices (a sysfs fixture: these machines have no USB bus). */
  hostUsb?: ApiDeps['hostUsb'];
  /** Where the passthrough calls read the host (a fixture tree: test/main/passthrough/fixtures.ts). */
  passthroughHost?: ApiDeps['passthroughHost'];
}

export async function apiWorld(prefix = 'gb-api-', o: ApiWorldOptions = {}) {
  const t = await tempHome(prefix);
  const store = new Store(guestbayPaths(t.env));
  let caps: Promise<HostCaps> | undefined;
  const probe = () => (caps ??= probeHost({ env: t.env }).then((c) => (o.caps ? o.caps(c) : c)));
  const supervisor = new Supervisor({ store, probe, stopTimeoutMs: 30_000 });
  const api = createApi({ store, supervisor, probe, env: t.env, pickers: o.pickers, macosSources: o.macosSources, windowsSources: o.windowsSources, hostUsb: o.hostUsb, passthroughHost: o.passthroughHost, validateOutputs: true });
  return {
    ...t,
    store,
    supervisor,
    api,
    call: (call: string, input: unknown) => api.dispatch(call, input),
    cleanup: async () => {
      await api.dispose();
      await t.cleanup();
    },
  };
}
