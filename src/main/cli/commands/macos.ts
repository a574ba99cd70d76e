// `guestbay macos preflight|prepare|finish|download`: a macOS guest from nothing, in a terminal.
import { resolve } from 'node:path';
import { probeHost } from '../../host/probe';
import { describePrepared, macosFinishCmd, macosPrepareCmd, macosPreflightCmd } from '../macos/setup';
import { macosDownload } from '../macos/download';
import { SOURCE_OPTIONS, sourcesFromFlags } from '../macos/sources';
import { parse, withSupervisor, type Command } from '../common';
import { json, UsageError } from '../output';
import { cancellable } from '../interrupt';

const MACOS_HELP = 'try `guestbay macos preflight --release sonoma`, `guestbay macos prepare --release sonoma --name mac` or `guestbay macos finish mac`';

export const macos: Command = async (e, args) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'download': {
      const { values } = parse(rest, { release: { type: 'string' }, dir: { type: 'string' }, 'recovery-server': { type: 'string' }, 'recovery-key': { type: 'string' }, json: { type: 'boolean' } });
      const r = await cancellable((signal) => macosDownload(e.io, { release: values.release, dir: values.dir, recoveryServer: values['recovery-server'], recoveryKey: values['recovery-key'] }, e.cwd, { signal }));
      if (values.json) return json(e.io, r), 0;
      e.io.out(r.image);
      e.io.out(r.chunklist);
      return 0;
    }
    case 'preflight': {
      const { values } = parse(rest, { release: { type: 'string' }, json: { type: 'boolean' } });
      const caps = await probeHost({ env: e.env });
      const io = values.json ? { out: () => {}, err: e.io.err } : e.io;
      const findings = await macosPreflightCmd(io, values.release, { store: e.store, caps });
      if (values.json) json(e.io, findings);
      return findings.some((f) => f.status === 'missing') ? 1 : 0;
    }
    case 'prepare': {
      const { values } = parse(rest, {
        release: { type: 'string' },
        name: { type: 'string' },
        title: { type: 'string' },
        'disk-size': { type: 'string' },
        resolution: { type: 'string' },
        share: { type: 'string', multiple: true },
        'allow-tcg': { type: 'boolean' },
        json: { type: 'boolean' },
        ...SOURCE_OPTIONS,
      });
      const sources = await sourcesFromFlags(values, e.cwd);
      const caps = await probeHost({ env: e.env });
      const r = await cancellable((signal) =>
        macosPrepareCmd(
          e.io,
          { release: values.release, name: values.name, title: values.title, diskSize: values['disk-size'], resolution: values.resolution, shares: values.share?.map((s) => resolve(e.cwd, s)), allowTcg: values['allow-tcg'] },
          { store: e.store, caps, env: e.env, sources, signal },
        ),
      );
      if (values.json) return json(e.io, r), 0;
      describePrepared(e.io, r, e.store.dirs(r.config.name).dir);
      return 0;
    }
    case 'finish': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, 1);
      return withSupervisor(e, async (sup) => {
        const r = await macosFinishCmd(values.json ? { out: () => {}, err: e.io.err } : e.io, positionals[0], { store: e.store, status: (n) => sup.status(n) });
        if (values.json) json(e.io, r);
        return 0;
      });
    }
    default:
      throw new UsageError(sub ? `unknown macos command "${sub}": ${MACOS_HELP}` : MACOS_HELP);
  }
};
