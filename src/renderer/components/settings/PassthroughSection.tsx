// Passthrough: this computer's devices given to the guest whole. PCI devices chosen from what the
// IOMMU groups allow (a graphics card brings its sound function; a ROM file where a card needs
// one), the keyboard and mouse read directly (evdev) with the keys that switch them back, and
// Looking Glass (the passed card's picture in a window here), each saved through guests.update.
// What would stop the guest from starting is listed with its fix (guests.passthroughProblems).
import { useEffect, useState } from 'react';
import type { InputDevice, PassthroughProblem } from '../../../shared/contract-passthrough';
import type { IommuReport } from '../../../shared/iommu-report';
import { lookingGlassSizeMiB } from '../../../shared/looking-glass-size';
import type { EvdevToggle, PciDevice, VmConfig } from '../../../shared/vm-config';
import { useGuestEdit } from '../../guest/edit-context';
import { alongWith, deviceIndex, KIND_WORDS, ROLE_WORDS, slotOf } from '../../passthrough/words';
import { Mark } from '../Icons';
import { useApp, useClient } from '../../store';
import { described, Field } from '../Field';
import { PathField } from '../PathField';
import { SectionFrame } from './SectionFrame';
import { useSection } from './use-section';

type Draft = {
  pci: PciDevice[];
  evdev: boolean;
  keyboard: string;
  mouse: string;
  toggle: EvdevToggle;
  lg: boolean;
  memory: 'shm' | 'kvmfr';
  width: string;
  height: string;
};

export const TOGGLE_WORDS: Record<EvdevToggle, string> = {
  'ctrl-ctrl': 'Both Ctrl keys',
  'alt-alt': 'Both Alt keys',
  'shift-shift': 'Both Shift keys',
  'meta-meta': 'Both Super (Windows) keys',
  scrolllock: 'Scroll Lock',
  'ctrl-scrolllock': 'Ctrl + Scroll Lock',
};

const LIMITS = { width: [640, 7680], height: [480, 4320] } as const;

function sizeError(which: 'width' | 'height', text: string): string | undefined {
  const n = Number(text);
  const [min, max] = LIMITS[which];
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n)) return `The ${which} is a whole number of pixels, like ${which === 'width' ? 1920 : 1080}.`;
  if (n < min) return `Looking Glass needs a ${which} of at least ${min}.`;
  if (n > max) return `Looking Glass supports ${which}s up to ${max}.`;
  return undefined;
}

function fieldOf(f: string): string | undefined {
  const rom = /^pciDevices\.(\d+)\.romFile$/.exec(f);
  if (rom) return `pci.${rom[1]}.rom`;
  if (f.startsWith('pciDevices')) return 'pci';
  if (f === 'input.evdev.keyboard') return 'keyboard';
  if (f === 'input.evdev.mouse') return 'mouse';
  if (f.startsWith('input.evdev')) return 'evdev';
  if (f === 'lookingGlass.width') return 'width';
  if (f === 'lookingGlass.height') return 'height';
  if (f.startsWith('lookingGlass')) return 'lg';
  return undefined;
}

/** The host's facts the section offers choices from, read once it opens. */
function useHostFacts() {
  const client = useClient();
  const [report, setReport] = useState<IommuReport | null>(null);
  const [inputs, setInputs] = useState<InputDevice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.call('host.iommu', {}).then(setReport, (e: Error) => setError(`The IOMMU groups could not be read: ${e.message}`));
    client.call('host.inputDevices', {}).then(setInputs, () => setInputs([]));
  }, [client]);
  return { report, inputs, error };
}

/** What stops the saved settings from working now: read again after each change of the guest. */
function useProblems(name: string, revision: string) {
  const client = useClient();
  const [problems, setProblems] = useState<PassthroughProblem[] | null>(null);
  useEffect(() => {
    let live = true;
    client.call('guests.passthroughProblems', { name }).then(
      (p) => live && setProblems(p),
      () => live && setProblems(null),
    );
    return () => {
      live = false;
    };
  }, [client, name, revision]);
  return problems;
}

function Problems({ problems, config }: { problems: PassthroughProblem[] | null; config: VmConfig }) {
  const navigate = useApp((s) => s.navigate);
  const any = config.pciDevices.length > 0 || Boolean(config.input.evdev) || Boolean(config.lookingGlass);
  if (!any || problems === null) return null;
  if (problems.length === 0) {
    return (
      <p className="notice" data-testid="passthrough-ready">
        <Mark kind="check" /> Everything these saved settings need on this computer is in place.
      </p>
    );
  }
  return (
    <div className="notice notice-warning" role="status" data-testid="passthrough-problems">
      <strong>Before this guest can start with these settings</strong>
      <ul className="problem-list">
        {problems.map((p) => (
          <li key={p.field + p.message} data-testid="passthrough-problem" data-field={p.field}>
            <p>{p.message}</p>
            <p className="hint">
              <strong>Fix:</strong> {p.fix}
            </p>
          </li>
        ))}
      </ul>
      {config.pciDevices.length > 0 && (
        <a href="#/host/iommu" onClick={(e) => (e.preventDefault(), navigate({ page: 'iommu' }))}>
          Open Device passthrough (IOMMU groups)
        </a>
      )}
    </div>
  );
}

export function PassthroughSection() {
  const ctx = useGuestEdit();
  const navigate = useApp((s) => s.navigate);
  const { report, inputs, error } = useHostFacts();
  const problems = useProblems(ctx.name, ctx.revision);
  const [adding, setAdding] = useState('');
  const s = useSection<Draft>({
    from: (c) => ({
      pci: c.pciDevices,
      evdev: Boolean(c.input.evdev),
      keyboard: c.input.evdev?.keyboard ?? '',
      mouse: c.input.evdev?.mouse ?? '',
      toggle: c.input.evdev?.toggle ?? 'ctrl-ctrl',
      lg: Boolean(c.lookingGlass),
      memory: c.lookingGlass?.memory ?? 'shm',
      width: String(c.lookingGlass?.width ?? 1920),
      height: String(c.lookingGlass?.height ?? 1080),
    }),
    into: (c, d) => {
      const input: VmConfig['input'] = { ...c.input };
      delete input.evdev;
      const rest: VmConfig = { ...c };
      delete rest.lookingGlass;
      return {
        ...rest,
        pciDevices: d.pci,
        input: d.evdev ? { ...input, evdev: { ...(d.keyboard ? { keyboard: d.keyboard } : {}), ...(d.mouse ? { mouse: d.mouse } : {}), toggle: d.toggle } } : input,
        ...(d.lg ? { lookingGlass: { memory: d.memory, width: Number(d.width), height: Number(d.height) } } : {}),
      } as VmConfig;
    },
    check: (d) => ({
      evdev: d.evdev && !d.keyboard && !d.mouse ? 'Choose a keyboard or a mouse to hand to the guest, or turn evdev input off.' : undefined,
      width: d.lg ? sizeError('width', d.width) : undefined,
      height: d.lg ? sizeError('height', d.height) : undefined,
    }),
    fieldOf,
  });
  const d = s.draft;
  const devices = report ? deviceIndex(report) : new Map();
  const offered = (report?.verdicts ?? []).filter((v) => v.role !== 'gpu-audio' && !d.pci.some((p) => p.address === v.address));

  const add = () => {
    const v = report?.verdicts.find((x) => x.address === adding);
    if (!v || v.kind === 'cannot') return;
    const addrs = [v.address, ...v.together].filter((a) => !d.pci.some((p) => p.address === a));
    s.set({ pci: [...d.pci, ...addrs.map((a) => ({ address: a, ...(devices.get(a) ? { label: devices.get(a)!.description.slice(0, 200) } : {}) }))] });
    setAdding('');
  };
  const remove = (address: string) => {
    // A card's functions go together: removing a graphics card removes its sound function too.
    const card = devices.get(address)?.classCode.startsWith('03');
    s.set({ pci: d.pci.filter((p) => p.address !== address && !(card && !p.mdev && slotOf(p.address) === slotOf(address))) });
  };
  const setRom = (i: number, romFile: string) => s.set({ pci: d.pci.map((p, j) => (j === i ? { ...p, ...(romFile ? { romFile } : { romFile: undefined }) } : p)) });

  // A device chosen answers "choose a keyboard or a mouse" too.
  const pickInput = (patch: Partial<Pick<Draft, 'keyboard' | 'mouse'>>) => {
    s.set(patch);
    s.setErrors((e) => ({ ...e, evdev: undefined }));
  };
  const keyboards = (inputs ?? []).filter((x) => x.kind === 'keyboard');
  const mice = (inputs ?? []).filter((x) => x.kind === 'mouse');
  const inputOptions = (list: InputDevice[], current: string) => [
    ...list.map((x) => ({ value: x.path, label: x.name })),
    ...(current && !list.some((x) => x.path === current) ? [{ value: current, label: `${current.split('/').pop()} (not plugged in now)` }] : []),
  ];
  const w = Number(d.width);
  const h = Number(d.height);
  const sized = !sizeError('width', d.width) && !sizeError('height', d.height);
  const virtiofs = ctx.config.sharedFolders.some((f) => f.method === 'virtiofs');

  return (
    <SectionFrame
      id="passthrough"
      title="Passthrough"
      applies="next-start"
      s={s}
      why="Give the guest one of this computer’s devices whole, as if it were plugged into it: a graphics card for games and 3D, the keyboard and mouse with no delay."
    >
      <Problems problems={problems} config={s.base.config} />

      <div className="subsection" data-testid="passthrough-pci">
        <h4>PCI devices</h4>
        {error && <p className="field-error">{error}</p>}
        {report && !report.enabled && (
          <p className="notice notice-warning" data-testid="passthrough-iommu-off">
            The IOMMU is off, so no PCI device can be given to a guest.{' '}
            <a href="#/host/iommu" onClick={(e) => (e.preventDefault(), navigate({ page: 'iommu' }))}>
              How to turn it on
            </a>
          </p>
        )}
        {d.pci.length === 0 && <p className="muted">None.</p>}
        <ul className="device-list">
          {d.pci.map((p, i) => {
            const dev = devices.get(p.address);
            const isGpu = dev?.classCode.startsWith('03');
            return (
              <li key={p.address + (p.mdev ?? '')} className="device" data-testid={`passthrough-pci-${p.address}`}>
                <div className="device-head">
                  <strong>{p.mdev ? `GVT-g share of ${dev?.description ?? p.address}` : (dev?.description ?? p.label ?? 'PCI device')}</strong>
                  <code>{p.address}</code>
                  {dev ? <span className="muted">{dev.className}</span> : report && <span className="muted">not on this computer now</span>}
                  <button type="button" className="btn btn-small" data-testid={`passthrough-remove-${p.address}`} aria-label={`Stop passing ${dev?.description ?? p.address} to the guest`} onClick={() => remove(p.address)}>
                    Remove
                  </button>
                </div>
                {(isGpu || p.romFile) && !p.mdev && (
                  <PathField
                    id={`passthrough-rom-${i}`}
                    label="ROM file (optional)"
                    value={p.romFile ?? ''}
                    onChange={(v) => setRom(i, v)}
                    error={s.errors[`pci.${i}.rom`]}
                    placeholder="none: the card’s own"
                    filters={[{ name: 'ROM images', extensions: ['rom', 'bin'] }]}
                    hint="Only for a card whose firmware the guest cannot read: the card that showed this computer’s boot screen, or some NVIDIA cards. A dump of the card’s ROM."
                  />
                )}
              </li>
            );
          })}
        </ul>
        {s.errors.pci && <p className="field-error" data-testid="passthrough-pci-error">{s.errors.pci}</p>}
        {report?.enabled && (
          <div className="inline-form">
            <Field id="passthrough-add" label="Add a graphics card or USB controller">
              <select {...described('passthrough-add', undefined)} value={adding} onChange={(e) => setAdding(e.target.value)}>
                <option value="">Choose a device…</option>
                {offered.map((v) => {
                  const dev = devices.get(v.address);
                  const along = alongWith(v, devices);
                  const extra = along.card.length + along.group.length;
                  return (
                    <option key={v.address} value={v.address} disabled={v.kind === 'cannot'}>
                      {ROLE_WORDS[v.role]}: {dev?.description ?? v.address} ({v.address}){extra ? ` + ${extra} more` : ''} — {KIND_WORDS[v.kind].badge.toLowerCase()}
                    </option>
                  );
                })}
              </select>
            </Field>
            <button type="button" className="btn" data-testid="passthrough-add-button" disabled={!adding} onClick={add}>
              Add
            </button>
          </div>
        )}
        {report?.enabled && (
          <p className="hint" data-testid="passthrough-add-why">
            {adding ? report.verdicts.find((v) => v.address === adding)?.summary : 'Only what its IOMMU group allows can be chosen: Host → Device passthrough says why for each.'}
          </p>
        )}
      </div>

      <div className="subsection" data-testid="passthrough-evdev">
        <h4>Keyboard and mouse</h4>
        <label className="check-inline">
          <input type="checkbox" data-testid="passthrough-evdev-on" checked={d.evdev} onChange={(e) => s.set({ evdev: e.target.checked })} /> Hand this computer’s own keyboard and mouse to the guest (evdev)
        </label>
        <p className="hint">Input goes straight to the guest, with no delay and no USB controller passed. The keys below switch them back and forth between this computer and the guest.</p>
        {s.errors.evdev && <p className="field-error" data-testid="passthrough-evdev-error">{s.errors.evdev}</p>}
        {d.evdev && (
          <div className="field-row">
            <Field id="passthrough-keyboard" label="Keyboard" error={s.errors.keyboard} hint={inputs && keyboards.length === 0 ? 'No keyboard under /dev/input/by-id.' : undefined}>
              <select {...described('passthrough-keyboard', s.errors.keyboard)} value={d.keyboard} onChange={(e) => pickInput({ keyboard: e.target.value })}>
                <option value="">None</option>
                {inputOptions(keyboards, d.keyboard).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="passthrough-mouse" label="Mouse" error={s.errors.mouse} hint={inputs && mice.length === 0 ? 'No mouse under /dev/input/by-id.' : undefined}>
              <select {...described('passthrough-mouse', s.errors.mouse)} value={d.mouse} onChange={(e) => pickInput({ mouse: e.target.value })}>
                <option value="">None</option>
                {inputOptions(mice, d.mouse).map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="passthrough-toggle" label="Switch with">
              <select {...described('passthrough-toggle', undefined)} value={d.toggle} onChange={(e) => s.set({ toggle: e.target.value as EvdevToggle })}>
                {(Object.keys(TOGGLE_WORDS) as EvdevToggle[]).map((k) => (
                  <option key={k} value={k}>
                    {TOGGLE_WORDS[k]}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}
      </div>

      <div className="subsection" data-testid="passthrough-lg">
        <h4>Looking Glass</h4>
        <label className="check-inline">
          <input type="checkbox" data-testid="passthrough-lg-on" checked={d.lg} onChange={(e) => s.set({ lg: e.target.checked })} /> Show the passed graphics card’s picture in a window on this computer (Looking Glass)
        </label>
        <p className="hint">The guest copies each frame into memory shared with this computer; Looking Glass’s client shows it, with no second monitor. The guest needs Looking Glass’s host application.</p>
        {s.errors.lg && <p className="field-error">{s.errors.lg}</p>}
        {d.lg && (
          <>
            <div className="field-row">
              <Field id="passthrough-lg-width" label="Largest width" error={s.errors.width}>
                <input {...described('passthrough-lg-width', s.errors.width)} inputMode="numeric" value={d.width} onChange={(e) => s.set({ width: e.target.value })} />
              </Field>
              <Field id="passthrough-lg-height" label="Largest height" error={s.errors.height}>
                <input {...described('passthrough-lg-height', s.errors.height)} inputMode="numeric" value={d.height} onChange={(e) => s.set({ height: e.target.value })} />
              </Field>
              <Field id="passthrough-lg-memory" label="Shared memory in">
                <select {...described('passthrough-lg-memory', undefined)} value={d.memory} onChange={(e) => s.set({ memory: e.target.value as Draft['memory'] })}>
                  <option value="shm">A file in /dev/shm (works everywhere)</option>
                  <option value="kvmfr">The KVMFR module, /dev/kvmfr0 (faster; needs the module)</option>
                </select>
              </Field>
            </div>
            <p data-testid="passthrough-lg-size">
              {sized ? `Shared memory: ${lookingGlassSizeMiB(w, h)} MiB, enough for ${w} × ${h} (Looking Glass’s formula: width × height × 4 bytes × 2 frames + 10 MiB, rounded up to a power of two).` : 'Shared memory: give the largest resolution the guest will show.'}
            </p>
            {d.memory === 'kvmfr' && virtiofs && (
              <p className="notice notice-warning" data-testid="passthrough-lg-virtiofs">
                This guest shares a folder through virtiofs, which cannot use /dev/kvmfr0 (Looking Glass issue 1083, QEMU issue 1877): Guestbay uses the /dev/shm file instead while the share is there.
              </p>
            )}
            {d.pci.length === 0 && <p className="hint">Looking Glass shows what a passed graphics card draws: add one above, or the window waits for frames.</p>}
          </>
        )}
      </div>
    </SectionFrame>
  );
}
