// `guestbay windows prepare|inspect`: a Windows guest that installs itself, in a terminal.
import { resolve } from 'node:path';
import type { DownloadProgress } from '../../download/progress';
import { probeHost } from '../../host/probe';
import { recognizeWindowsIso } from '../../windows/iso/recognize';
import { prepareWindowsGuest, WINDOWS_PREPARE_STEPS, type WindowsSources } from '../../windows/prepare';
import { formatFinding, loudWarning } from '../macos/setup';
import { progressPrinter } from '../macos/download';
import { passwordFromStdin, promptPassword } from '../windows/password';
import { WINDOWS_SOURCE_OPTIONS, windowsSourcesFromFlags } from '../windows/sources';
import { parse, type Command } from '../common';
import { json, UsageError } from '../output';
import { cancellable } from '../interrupt';
export { WINDOWS_USAGE } from './usage';


const HELP = 'try `guestbay windows inspect Win11.iso` or `guestbay windows prepare --name win11 --iso Win11.iso`';

export const windows: Command = async (e, args) => {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'inspect': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, 1);
      if (!positionals[0]) throw new UsageError('name the ISO, e.g. `guestbay windows inspect Win11.iso`');
      const info = await recognizeWindowsIso(resolve(e.cwd, positionals[0]));
      if (values.json) return json(e.io, info), 0;
      e.io.out(`Label: ${info.label}`);
      e.io.out(`Windows: ${info.version ?? 'not recognised'} (from ${info.source})`);
      for (const i of info.images) e.io.out(`  ${i.index}. ${i.name}${i.editionId ? ` [${i.editionId}]` : ''}${i.build ? ` build ${i.build}` : ''}`);
      if (info.note) e.io.out(info.note);
      return 0;
    }
    case 'prepare': {
      const { values } = parse(rest, {
        name: { type: 'string' },
        title: { type: 'string' },
        iso: { type: 'string' },
        download: { type: 'string' },
        edition: { type: 'string' },
        'virtio-win': { type: 'string' },
        user: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        'disk-size': { type: 'string' },
        share: { type: 'string', multiple: true },
        'allow-tcg': { type: 'boolean' },
        'bypass-requirements': { type: 'boolean' },
        json: { type: 'boolean' },
        ...WINDOWS_SOURCE_OPTIONS,
      });
      if (!values.name) throw new UsageError('--name is required, e.g. --name win11');
      if (!values.iso === !values.download) throw new UsageError('--iso FILE (your Windows 10 or 11 ISO) or --download 10|11 (from Microsoft\'s download service): one of the two');
      if (values.download !== undefined && values.download !== '10' && values.download !== '11') throw new UsageError(`--download is 10 or 11, not "${values.download}"`);
      const sources: WindowsSources = windowsSourcesFromFlags(values);
      const user = values.user ?? e.env.USER ?? 'user';
      const password = values['password-stdin'] ? await passwordFromStdin() : await promptPassword(`Password for the Windows account "${user}" (kept only on the answer disk): `);
      const caps = await probeHost({ env: e.env });
      const printDownload = progressPrinter(e.io) as (p: DownloadProgress) => void;
      let last = '';
      const r = await cancellable((signal) =>
        prepareWindowsGuest(
          {
            name: values.name!,
            title: values.title,
            ...(values.iso ? { iso: resolve(e.cwd, values.iso) } : { download: values.download as '10' | '11' }),
            edition: values.edition,
            virtioWin: values['virtio-win'] ? resolve(e.cwd, values['virtio-win']) : undefined,
            user,
            password,
            diskSize: values['disk-size'],
            shares: values.share?.map((s) => resolve(e.cwd, s)),
            allowTcg: values['allow-tcg'],
            bypassRequirements: values['bypass-requirements'],
          },
          {
            store: e.store,
            caps,
            env: e.env,
            sources,
            signal,
            onProgress: (p) => {
              for (const w of p.warnings ?? []) e.io.err(w.id === 'windows-kvm' ? loudWarning(w) : formatFinding(w).join('\n'));
              if (p.step !== last) {
                last = p.step;
                e.io.err(`[${WINDOWS_PREPARE_STEPS.findIndex((s) => s.step === p.step) + 1}/${WINDOWS_PREPARE_STEPS.length}] ${p.message}…`);
              }
              if (p.download) printDownload(p.download);
              if (p.note) e.io.err(p.note);
            },
          },
        ),
      );
      if (values.json) return json(e.io, { ...r, password: undefined }), 0;
      const c = r.config;
      e.io.out(`Created "${c.name}" (${c.title}, ${r.edition}) in ${e.store.dirs(c.name).dir}`);
      e.io.out(`  computer name ${r.computerName}, account ${values.user ?? user}, ${r.locale.language}, ${r.locale.timeZone}`);
      e.io.out('  Autounattend.img: the answer disk. It holds the password (encoded as Windows does, not encrypted):');
      // `media eject` empties CD/DVD drives only: the answer disk is a USB disk, removed from the config.
      e.io.out(`  remove it once Windows is installed and shut down: the companion panel beside the guest in the app does it, or delete the answer0 drive in \`guestbay edit ${c.name}\``);
      for (const n of r.notes) e.io.out(`  ${n}`);
      e.io.out('Next:');
      e.io.out(`  guestbay start ${c.name}   (press a key when the firmware says "Press any key to boot from CD or DVD")`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown windows command "${sub}": ${HELP}` : HELP);
  }
};
