// `guestbay serve`: the app in a browser, on 127.0.0.1 with a per-run token.
import { join } from 'node:path';
import { createApi } from '../../api';
import { startAutostartGuests } from '../../desktop/autostart-guests';
import { probeHost } from '../../host/probe';
import { SOURCE_OPTIONS, sourcesFromFlags } from '../macos/sources';
import { WINDOWS_SOURCE_OPTIONS, windowsSourcesFromFlags } from '../windows/sources';
import { serve } from '../../server/serve';
import { parse, supervisor, type Command } from '../common';
import { UsageError } from '../output';
import { ROOT_DIR } from '../root-dir';

/** Resolves on the first SIGINT or SIGTERM; a second one gets Node's default (exit). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const serveCmd: Command = async (e, args) => {
  const { values } = parse(args, { port: { type: 'string' }, ...SOURCE_OPTIONS, ...WINDOWS_SOURCE_OPTIONS });
  const macosSources = await sourcesFromFlags(values, e.cwd);
  const windowsSources = windowsSourcesFromFlags(values);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) throw new UsageError('--port is a number from 1 to 65535 (0 or none: any free port)');
  const sup = await supervisor(e);
  // Guests started from another window or the CLI show up as running, with their events.
  await sup.attachAll().catch((err: Error) => e.io.err(`guestbay: re-attaching to running guests failed: ${err.message}`));
  // Tests and screenshots: the passthrough views read a fixture host (sysfs, /dev/input, PATH) instead of this one.
  const testRoot = e.env.GUESTBAY_TEST_HOST_ROOT;
  const passthroughHost = testRoot ? { root: testRoot, env: e.env } : undefined;
  const api = createApi({ store: e.store, supervisor: sup, probe: (o) => probeHost({ env: e.env, useCache: !o?.refresh }), env: e.env, macosSources, windowsSources, passthroughHost });
  // Not reachable before guests.changed can be trusted: a guest made elsewhere in between would be taken as known.
  await api.ready;
  let served;
  try {
    served = await serve({ api, staticDir: join(ROOT_DIR, 'dist', 'renderer'), port });
  } catch (err) {
    await api.dispose();
    throw err;
  }
  const signal = untilSignal();
  e.io.out(`Guestbay is serving on ${served.url}`);
  e.io.out(`Only this machine can connect. From another one: ssh -L ${served.port}:127.0.0.1:${served.port} <this host>, then open the URL there.`);
  e.io.out('Ctrl-C stops the server; running guests keep running.');
  // Guests marked to start with Guestbay (autostart=on).
  for (const name of await startAutostartGuests(sup, (m) => e.io.err(m))) e.io.out(`Started ${name} (autostart).`);
  await signal;
  await served.close();
  // Lets go of the guests without stopping them.
  await api.dispose();
  e.io.err('guestbay: server stopped');
  return 0;
};
