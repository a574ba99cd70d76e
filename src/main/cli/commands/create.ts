// `guestbay create`: a new guest from a preset.
import { PRESETS } from '../../../shared/presets';
import { parseForward, parseMemory, parseUsbId, SettingError } from '../../../shared/settings-keys';
import { ConfigError } from '../../../shared/vm-config';
import { createGuest, type CreateRequest } from '../../vm/create';
import { parse, type Command } from '../common';
import { json, UsageError } from '../output';

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * The wizard's choices as flags (--memory 8G --cores 4 --nic e1000e --forward tcp:2222:22 …),
 * parsed with the same words as `set`; the create then checks them as the wizard's.
 */
function overridesFrom(v: Values): CreateRequest['overrides'] {
  const o: NonNullable<CreateRequest['overrides']> = {};
  const errors: { field: string; message: string }[] = [];
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const take = (k: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      if (e instanceof SettingError) errors.push({ field: k, message: e.message });
      else throw e;
    }
  };
  if (str('memory') !== undefined) take('memory', () => (o.memoryMiB = parseMemory('memory', str('memory')!)));
  const whole = (k: string, set: (n: number) => void) => {
    const t = str(k);
    if (t === undefined) return;
    if (!/^\d{1,9}$/.test(t)) errors.push({ field: k, message: `--${k} is a whole number, like 2; "${t}" is not.` });
    else set(Number(t));
  };
  whole('cores', (n) => (o.cores = n));
  whole('threads', (n) => (o.threads = n));
  const pick = <T extends string>(k: string, set: (x: T) => void) => {
    if (str(k) !== undefined) set(str(k) as T);
  };
  pick('firmware', (x: NonNullable<typeof o.firmware>) => (o.firmware = x));
  pick('nic', (x: NonNullable<typeof o.nic>) => (o.nic = x));
  pick('display', (x: NonNullable<typeof o.display>) => (o.display = x));
  pick('viewer', (x: NonNullable<typeof o.viewer>) => (o.viewer = x));
  pick('sound', (x: NonNullable<typeof o.sound>) => (o.sound = x));
  pick('net', (x: NonNullable<typeof o.network>) => (o.network = x));
  pick('bridge', (x: string) => (o.bridge = x));
  pick('disk-bus', (x: NonNullable<typeof o.diskBus>) => (o.diskBus = x));
  pick('share-method', (x: NonNullable<typeof o.shareMethod>) => (o.shareMethod = x));
  if (v.tpm === true) o.tpm = true;
  if (v['no-tpm'] === true) o.tpm = false;
  if (v.autostart === true) o.autostart = true;
  if (v['memory-file'] === true) o.memoryFile = true;
  const forwards = (v.forward as string[] | undefined) ?? [];
  if (forwards.length) {
    take('forward', () => {
      o.forwards = forwards.map((f) => {
        const r = parseForward('forward', f);
        return { protocol: r.protocol, hostAddress: r.hostAddress, hostPort: r.hostPort, guestPort: r.guestPort! };
      });
    });
  }
  const usbs = (v.usb as string[] | undefined) ?? [];
  if (usbs.length) take('usb', () => (o.usbDevices = usbs.map((u) => parseUsbId('usb', u))));
  if (errors.length) throw new ConfigError(errors);
  return Object.keys(o).length ? o : undefined;
}

export const create: Command = async (e, args) => {
  const { values } = parse(args, {
    preset: { type: 'string' },
    name: { type: 'string' },
    title: { type: 'string' },
    'disk-size': { type: 'string' },
    iso: { type: 'string' },
    drivers: { type: 'string' },
    kernel: { type: 'string' },
    initrd: { type: 'string' },
    append: { type: 'string' },
    share: { type: 'string', multiple: true },
    memory: { type: 'string' },
    cores: { type: 'string' },
    threads: { type: 'string' },
    firmware: { type: 'string' },
    tpm: { type: 'boolean' },
    'no-tpm': { type: 'boolean' },
    'no-shared-folder': { type: 'boolean' },
    'no-guestbay-folder': { type: 'boolean' },
    nic: { type: 'string' },
    net: { type: 'string' },
    bridge: { type: 'string' },
    forward: { type: 'string', multiple: true },
    display: { type: 'string' },
    viewer: { type: 'string' },
    sound: { type: 'string' },
    usb: { type: 'string', multiple: true },
    'disk-bus': { type: 'string' },
    'share-method': { type: 'string' },
    autostart: { type: 'boolean' },
    'memory-file': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (!values.preset) throw new UsageError(`--preset is required: ${PRESETS.map((p) => p.id).join(', ')}`);
  if (values.name === undefined) throw new UsageError('--name is required');
  const result = await createGuest(
    e.store,
    {
      preset: values.preset,
      name: values.name,
      title: values.title,
      diskSize: values['disk-size'],
      iso: values.iso,
      driversIso: values.drivers,
      kernel: values.kernel,
      initrd: values.initrd,
      append: values.append,
      shares: values.share,
      // Two spellings of one opt-out: the setting's name (shared-folder) and the folder's (Guestbay folder).
      guestbayFolder: values['no-shared-folder'] || values['no-guestbay-folder'] ? false : undefined,
      overrides: overridesFrom(values),
    },
    { cwd: e.cwd, caps: async () => (await import('../../host/probe')).probeHost({ env: e.env }) },
  );
  if (values.json) return json(e.io, result), 0;
  e.io.out(`Created "${result.config.name}" (${result.config.title}) in ${e.store.dirs(result.config.name).dir}`);
  for (const w of result.warnings) e.io.err(`guestbay: warning: ${w.field}: ${w.message}`);
  for (const [field, why] of Object.entries(result.reasons)) e.io.out(`  ${field}: ${why}`);
  return 0;
};
