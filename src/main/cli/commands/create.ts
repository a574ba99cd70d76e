// `guestbay create`: a new guest from a preset.
import { PRESETS } from '../../../shared/presets';
import { createGuest } from '../../vm/create';
import { parse, type Command } from '../common';
import { json, UsageError } from '../output';

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
    },
    { cwd: e.cwd },
  );
  if (values.json) return json(e.io, result), 0;
  e.io.out(`Created "${result.config.name}" (${result.config.title}) in ${e.store.dirs(result.config.name).dir}`);
  for (const [field, why] of Object.entries(result.reasons)) e.io.out(`  ${field}: ${why}`);
  return 0;
};
