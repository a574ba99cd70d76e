// `guestbay start N`: starts a guest (restores a saved one unless --fresh); --wait stays
// attached and reports every state change until the guest ends, as a single-GPU guest's start
// always does (the process watching its end gives the GPU back).
import type { GuestState } from '../../vm/supervisor';
import { accelFlag, lifecycle, needName, parse, probeFromNow, supervisor, type Command } from '../common';
import { interruptible } from '../interrupt';

export const start: Command = async (e, args) => {
  const { values, positionals } = parse(
    args,
    { accel: { type: 'string' }, headless: { type: 'boolean' }, paused: { type: 'boolean' }, fresh: { type: 'boolean' }, wait: { type: 'boolean' }, json: { type: 'boolean' } },
    1,
  );
  const accel = accelFlag(values.accel);
  const name = needName(positionals);
  const opts = { accel, headless: values.headless, paused: values.paused, fresh: values.fresh };
  // A single-GPU guest takes the host's screen: this command stays until it ends, to give the
  // GPU back (the graphical session is gone by then, so run it over SSH or on a text console).
  const single = (await e.store.get(name).catch(() => null))?.singleGpu === true;
  // The guest is there: its start will ask the host first of all.
  const probe = probeFromNow(e);
  if (single && !values.wait) e.io.err(`${name} uses single-GPU passthrough: this command stays until the guest ends, then gives the host its GPU back (run it over SSH or on a text console: the graphical session ends).`);
  if (!values.wait && !single) return interruptible((signal) => lifecycle(e, values.json, (sup) => sup.start(name, { ...opts, signal }), probe));
  // --wait: stay attached, report every state change, return when the guest ends.
  const sup = await supervisor(e, probe);
  const ended = new Promise<GuestState>((resolve) =>
    sup.onEvent((ev) => {
      if (ev.type !== 'state' || ev.status.name !== name) return;
      const { state, detail } = ev.status;
      e.io.out(`${name}: ${state}${detail ? ` (${detail})` : ''}`);
      if (state === 'stopped' || state === 'crashed' || state === 'saved') resolve(state);
    }),
  );
  await interruptible((signal) => sup.start(name, { ...opts, signal }));
  return (await ended) === 'crashed' ? 1 : 0;
};
