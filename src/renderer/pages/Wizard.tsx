// The new-guest wizard: a step per decision, each explained, checked on the spot and by the
// server (its field errors land next to the field), ending with the exact QEMU command.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { CallError, type CallOutput } from '../../shared/contract';
import { MACOS_RELEASES } from '../../shared/os/macos-releases';
import { formatSize } from '../../shared/size';
import { ErrorNotice } from '../components/ErrorNotice';
import { OsIcon } from '../components/Icons';
import { CopyButton } from '../components/CopyButton';
import { FieldError, PathField } from '../components/PathField';
import { useApp, useClient } from '../store';
import {
  STEPS,
  buildRequest,
  defaultCores,
  defaultDiskSize,
  defaultFirmware,
  defaultMemoryGiB,
  effectiveFirmware,
  effectiveTpm,
  fieldKey,
  initialWizard,
  stepOfField,
  validateStep,
  type Errors,
  type FirmwareChoice,
  type OsChoice,
  type StepId,
  type WizardState,
} from './wizard-model';

type Preview = CallOutput<'guests.preview'>;
type Identified = CallOutput<'media.identify'>;

/** A wizard field key → its data-testid (documented in TESTIDS.md). */
export function fieldTestId(key: string): string {
  const share = /^shares\.(\d+)$/.exec(key);
  if (share) return `field-share-${share[1]}`;
  const map: Record<string, string> = { diskSize: 'field-disk-size', memoryGiB: 'field-memory', existingDisk: 'field-existing-disk', driversIso: 'field-drivers-iso', diskBus: 'field-disk-bus', shareMethod: 'field-share-method' };
  return map[key] ?? `field-${key}`;
}

const OS_CHOICES: { id: OsChoice; title: string; family: string; blurb: string }[] = [
  { id: 'linux', title: 'Linux', family: 'linux', blurb: 'Any current distribution. Every device is virtio: fast, with drivers in the kernel.' },
  { id: 'windows-10', title: 'Windows 10', family: 'windows', blurb: 'UEFI with Hyper-V enlightenments. Add the virtio-win disc for fast disk and network.' },
  { id: 'windows-11', title: 'Windows 11', family: 'windows', blurb: 'Needs UEFI with Secure Boot and a TPM 2.0: both are set up for you.' },
  { id: 'macos', title: 'macOS', family: 'macos', blurb: 'Through OpenCore, downloaded from Apple’s recovery servers.' },
];

const FIRMWARE: { id: FirmwareChoice; title: string; meaning: string }[] = [
  { id: 'bios', title: 'BIOS (SeaBIOS)', meaning: 'The classic PC firmware. Starts in milliseconds; right for direct kernel boot and old systems. Disks over 2 TiB cannot boot.' },
  { id: 'uefi', title: 'UEFI (OVMF)', meaning: 'What current systems install for. Any bootloader and kernel start, signed or not.' },
  { id: 'uefi-secure', title: 'UEFI + Secure Boot', meaning: 'UEFI that only starts signed bootloaders (Microsoft’s keys are enrolled). Windows 11 requires it; some Linux distributions boot with it, others do not.' },
];

const SHARE_METHODS: Record<'virtiofs' | '9p' | 'smb', string> = {
  virtiofs: 'virtiofs: the fastest, with the host’s file semantics. Linux mounts it directly (mount -t virtiofs <tag> /mnt); Windows needs the VirtIO-FS service and WinFsp. Runs a virtiofsd helper next to QEMU.',
  '9p': '9p: built into QEMU, no helper. Slower; Linux mounts it with mount -t 9p -o trans=virtio <tag> /mnt, macOS 10.15.6+ with mount_9p.',
  smb: 'SMB: QEMU runs the host’s Samba for the guest; Windows opens \\\\10.0.2.4\\qemu with nothing to install. Needs smbd on the host.',
};

/** A preset's one-line reason as a sentence of its own. */
function sentence(s: string): string {
  const t = s.trim();
  return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?)]$/.test(t) ? '' : '.');
}

/** Which ways of sharing a folder each guest system can mount (the first is the default). */
const SHARE_METHODS_FOR: Record<OsChoice, ('virtiofs' | '9p' | 'smb')[]> = {
  linux: ['virtiofs', '9p'],
  'windows-10': ['virtiofs', 'smb'],
  'windows-11': ['virtiofs', 'smb'],
  macos: ['9p', 'smb'],
};

function Field({ id, label, error, hint, children }: { id: string; label: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <p className="hint">{hint}</p>}
      <FieldError id={id} message={error} />
    </div>
  );
}

export function WizardPage() {
  const client = useClient();
  const host = useApp((s) => s.host);
  const navigate = useApp((s) => s.navigate);
  const loadGuests = useApp((s) => s.loadGuests);
  const [w, setW] = useState<WizardState>(initialWizard);
  const [step, setStep] = useState<StepId>('os');
  const [visited, setVisited] = useState(0);
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<unknown>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [busy, setBusy] = useState<'check' | 'create' | null>(null);
  const [identified, setIdentified] = useState<Identified | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const idx = STEPS.findIndex((s) => s.id === step);

  const update = (patch: Partial<WizardState>) => {
    setW((old) => ({ ...old, ...patch }));
    setErrors((old) => {
      const next = { ...old };
      for (const k of Object.keys(patch)) delete next[k];
      if ('shares' in patch) for (const k of Object.keys(next)) if (k.startsWith('shares.')) delete next[k];
      return next;
    });
  };

  useEffect(() => {
    headingRef.current?.focus();
  }, [step]);

  // Suggest a preset from the installer's volume label.
  useEffect(() => {
    const iso = w.iso.trim();
    if (!iso.startsWith('/')) {
      setIdentified(null);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      client.call('media.identify', { path: iso }).then(
        (r) => live && setIdentified(r),
        () => live && setIdentified(null),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, w.iso]);

  const go = (s: StepId) => {
    setStep(s);
    setVisited((v) => Math.max(v, STEPS.findIndex((x) => x.id === s)));
  };

  /** Map a server error onto fields; returns true when it blocks the step `upTo`. */
  const applyServerError = (e: unknown, upTo: number): boolean => {
    if (!(e instanceof CallError) || e.fields.length === 0) {
      setGeneral(e);
      return true;
    }
    const mapped: Errors = {};
    let first = Infinity;
    let unplaced = false;
    for (const f of e.fields) {
      const s = stepOfField(f.field);
      if (s === null) {
        unplaced = true;
        continue;
      }
      const i = STEPS.findIndex((x) => x.id === s);
      if (i > upTo) continue;
      mapped[fieldKey(f.field)] = f.message;
      first = Math.min(first, i);
    }
    setErrors((old) => ({ ...old, ...mapped }));
    if (unplaced) setGeneral(e);
    if (first !== Infinity) {
      setStep(STEPS[first]!.id);
      return true;
    }
    return unplaced;
  };

  const serverCheck = async (upTo: number): Promise<boolean> => {
    setBusy('check');
    try {
      setPreview(await client.call('guests.preview', buildRequest(w)));
      return true;
    } catch (e) {
      setPreview(null);
      return !applyServerError(e, upTo);
    } finally {
      setBusy(null);
    }
  };

  const next = async () => {
    setGeneral(null);
    const local = validateStep(step, w, host);
    if (Object.keys(local).length) {
      setErrors((old) => ({ ...old, ...local }));
      return;
    }
    if (idx >= 1 && !(await serverCheck(idx))) return;
    const n = STEPS[idx + 1];
    if (n) go(n.id);
  };

  const back = () => {
    setGeneral(null);
    const p = STEPS[idx - 1];
    if (p) setStep(p.id);
  };

  const create = async () => {
    setGeneral(null);
    // Every step's own checks first, then the server's.
    for (const s of STEPS) {
      const local = validateStep(s.id, w, host);
      if (Object.keys(local).length) {
        setErrors((old) => ({ ...old, ...local }));
        setStep(s.id);
        return;
      }
    }
    setBusy('create');
    try {
      const r = await client.call('guests.create', buildRequest(w));
      await loadGuests();
      navigate({ page: 'guest', name: r.config.name });
    } catch (e) {
      applyServerError(e, STEPS.length - 1);
    } finally {
      setBusy(null);
    }
  };

  const reason = (key: string) => preview?.reasons[key];
  const isWin = w.os.startsWith('windows');
  const err = (k: string) => errors[k];

  const input = (key: keyof WizardState & string, props: { type?: string; placeholder?: string; inputMode?: 'numeric' | 'decimal' } = {}) => {
    const id = fieldTestId(key);
    return (
      <input
        id={id}
        data-testid={id}
        type={props.type ?? 'text'}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        spellCheck={false}
        value={String(w[key] ?? '')}
        aria-invalid={err(key) ? true : undefined}
        aria-describedby={err(key) ? `${id}-error` : undefined}
        onChange={(e) => update({ [key]: e.target.value } as Partial<WizardState>)}
      />
    );
  };

  const select = <K extends 'diskBus' | 'nic' | 'display' | 'shareMethod'>(key: K, presetValue: string | undefined, options: [WizardState[K], string][]) => {
    const id = fieldTestId(key);
    return (
      <select id={id} data-testid={id} value={w[key]} onChange={(e) => update({ [key]: e.target.value } as Partial<WizardState>)}>
        <option value="">Recommended{presetValue ? ` (${presetValue})` : ''}</option>
        {options.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    );
  };

  let body: ReactNode = null;
  if (step === 'os') {
    body = (
      <>
        <fieldset className="os-grid">
          <legend>Operating system</legend>
          {OS_CHOICES.map((o) => (
            <label key={o.id} className={`os-choice${w.os === o.id ? ' selected' : ''}`} data-testid={`wizard-os-${o.id}`}>
              <input type="radio" name="os" value={o.id} checked={w.os === o.id} onChange={() => update({ os: o.id, firmware: null, tpm: null, shareMethod: '' })} />
              <OsIcon family={o.family} size={36} />
              <span>
                <strong>{o.title}</strong>
                <span className="hint">{o.blurb}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {w.os === 'macos' ? (
          <div className="notice" data-testid="wizard-macos-note">
            <strong>macOS has a guided setup of its own.</strong>
            <p>
              It checks this host first, downloads the recovery image from Apple’s servers (verifying Apple’s signature and every chunk), builds an
              OpenCore boot disk with a Mac identity for this guest, creates the guest, and then walks you through the installer beside the running
              guest. The same from a terminal: <code>guestbay macos prepare --release sonoma --name mac</code>.
            </p>
            <p className="muted">{MACOS_RELEASES.length} releases, {MACOS_RELEASES[0]!.name} to {MACOS_RELEASES.at(-1)!.name}.</p>
            <button type="button" className="btn btn-primary" data-testid="wizard-macos-guided" onClick={() => navigate({ page: 'macos' })}>
              Start the guided macOS setup
            </button>
          </div>
        ) : (
          <>
            <Field id="field-name" label="Name" error={err('name')} hint="Used for the guest’s folder and on the command line: letters, digits, “.”, “_” and “-”.">
              {input('name', { placeholder: 'e.g. arch or win11' })}
            </Field>
            <Field id="field-title" label="Title (optional)" error={err('title')} hint="What the library shows; any text.">
              {input('title', { placeholder: OS_CHOICES.find((o) => o.id === w.os)?.title })}
            </Field>
          </>
        )}
      </>
    );
  } else if (step === 'media') {
    body = (
      <>
        <PathField
          id="field-iso"
          label="Installer image (ISO)"
          value={w.iso}
          onChange={(v) => update({ iso: v })}
          error={err('iso')}
          filters={[{ name: 'Disc images', extensions: ['iso', 'img'] }]}
          placeholder="/home/you/Downloads/installer.iso"
          hint="Attached as a CD-ROM on SATA, which every installer can read. Leave empty to boot from an existing disk or the network."
        />
        {identified?.preset && (
          <div className="notice" data-testid="media-suggestion">
            <p>
              This looks like <strong>{identified.title ?? identified.preset}</strong>
              {identified.label && <> (volume label <code>{identified.label}</code>)</>}.
            </p>
            {identified.preset !== w.os && (OS_CHOICES.some((o) => o.id === identified.preset) || identified.preset.startsWith('macos-')) && (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => update({ os: identified.preset!.startsWith('macos-') ? 'macos' : (identified.preset as OsChoice), firmware: null, tpm: null, shareMethod: '' })}
              >
                Use the {identified.title ?? identified.preset} settings
              </button>
            )}
          </div>
        )}
        {isWin && (
          <PathField
            id="field-drivers-iso"
            label="virtio-win drivers disc (optional)"
            value={w.driversIso}
            onChange={(v) => update({ driversIso: v })}
            error={err('driversIso')}
            filters={[{ name: 'Disc images', extensions: ['iso'] }]}
            hint="With it the guest gets virtio disk and network (much faster); setup loads the driver from it (Load driver → viostor). Without it: emulated SATA and e1000e, which Windows drives out of the box."
          />
        )}
        {w.os === 'linux' && (
          <details className="advanced" open={Boolean(w.kernel || w.initrd || w.append || err('kernel') || err('initrd') || err('append'))}>
            <summary>Advanced: boot a kernel directly</summary>
            <p className="hint">QEMU loads the kernel itself, without a bootloader on the disk: useful for custom kernels and tiny test systems. The firmware becomes BIOS unless you choose otherwise.</p>
            <PathField id="field-kernel" label="Kernel" value={w.kernel} onChange={(v) => update({ kernel: v })} error={err('kernel')} placeholder="/boot/vmlinuz-linux" />
            <PathField id="field-initrd" label="Initial ramdisk (optional)" value={w.initrd} onChange={(v) => update({ initrd: v })} error={err('initrd')} placeholder="/boot/initramfs-linux.img" />
            <Field id="field-append" label="Kernel arguments (optional)" error={err('append')} hint="Passed as -append, e.g. console=ttyS0 root=/dev/vda2 (console=ttyS0 makes the serial console show the boot).">
              {input('append', { placeholder: 'console=ttyS0' })}
            </Field>
          </details>
        )}
      </>
    );
  } else if (step === 'firmware') {
    const fw = effectiveFirmware(w);
    body = (
      <>
        <fieldset className="choices">
          <legend>Firmware</legend>
          {FIRMWARE.map((f) => (
            <label key={f.id} className={`choice${fw === f.id ? ' selected' : ''}`} data-testid={`wizard-firmware-${f.id}`}>
              <input type="radio" name="firmware" value={f.id} checked={fw === f.id} onChange={() => update({ firmware: f.id })} />
              <span>
                <strong>
                  {f.title}
                  {defaultFirmware(w) === f.id && <span className="tag">recommended</span>}
                </strong>
                <span className="hint">{f.meaning}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" data-testid="field-tpm" checked={effectiveTpm(w)} onChange={(e) => update({ tpm: e.target.checked })} />
          <span>
            <strong>TPM 2.0</strong>
            <span className="hint">An emulated security chip (swtpm); its state is kept with the guest. Windows 11 requires it; BitLocker and measured boot use it.</span>
          </span>
        </label>
        {w.os === 'windows-11' && <p className="notice">Windows 11 needs UEFI + Secure Boot and a TPM 2.0: its installer refuses to continue without them.</p>}
        {reason('firmware') && <p className="hint">Why the recommendation: {reason('firmware')}</p>}
        <FieldError id="field-firmware" message={err('firmware') ?? err('tpm')} />
      </>
    );
  } else if (step === 'resources') {
    const threads = host?.cpu.threads;
    const totalGiB = host ? host.memory.totalMiB / 1024 : undefined;
    body = (
      <>
        <Field
          id="field-cores"
          label="CPU cores"
          error={err('cores')}
          hint={<>{threads ? `This host has ${threads} threads. ` : ''}Recommended: {defaultCores(w.os, host)} — half the host (at most 4) keeps the desktop responsive.{reason('cpu.cores') ? ` ${sentence(reason('cpu.cores')!)}` : ''}</>}
        >
          {input('cores', { inputMode: 'numeric', placeholder: String(defaultCores(w.os, host)) })}
        </Field>
        <Field
          id="field-memory"
          label="Memory (GiB)"
          error={err('memoryGiB')}
          hint={<>{totalGiB ? `This host has ${totalGiB.toFixed(1)} GiB, ${((host?.memory.availableMiB ?? 0) / 1024).toFixed(1)} GiB free now. ` : ''}Recommended: {defaultMemoryGiB(w.os, host)} GiB.{reason('memoryMiB') ? ` ${sentence(reason('memoryMiB')!)}` : ''}</>}
        >
          {input('memoryGiB', { inputMode: 'decimal', placeholder: String(defaultMemoryGiB(w.os, host)) })}
        </Field>
        <fieldset className="choices">
          <legend>System disk</legend>
          <label className={`choice${w.diskMode === 'new' ? ' selected' : ''}`}>
            <input type="radio" name="disk" data-testid="wizard-disk-new" checked={w.diskMode === 'new'} onChange={() => update({ diskMode: 'new' })} />
            <span>
              <strong>Create a new disk</strong>
              <span className="hint">A qcow2 image in the guest’s folder: it grows as the guest writes, up to the size below.</span>
            </span>
          </label>
          <label className={`choice${w.diskMode === 'existing' ? ' selected' : ''}`}>
            <input type="radio" name="disk" data-testid="wizard-disk-existing" checked={w.diskMode === 'existing'} onChange={() => update({ diskMode: 'existing' })} />
            <span>
              <strong>Use an existing image</strong>
              <span className="hint">A qcow2 or raw image with an installed system; used where it is, never copied.</span>
            </span>
          </label>
        </fieldset>
        {w.diskMode === 'new' ? (
          <Field id="field-disk-size" label="Disk size" error={err('diskSize')} hint={`A number with a unit: 64G, 512M, 1.5T. Recommended: ${defaultDiskSize(w.os)}.`}>
            {input('diskSize', { placeholder: defaultDiskSize(w.os) })}
          </Field>
        ) : (
          <PathField
            id="field-existing-disk"
            label="Disk image"
            value={w.existingDisk}
            onChange={(v) => update({ existingDisk: v })}
            error={err('existingDisk')}
            filters={[{ name: 'Disk images', extensions: ['qcow2', 'img', 'raw'] }]}
          />
        )}
      </>
    );
  } else if (step === 'devices') {
    const c = preview?.config;
    body = (
      <>
        <p className="hint">
          <strong>virtio</strong> devices are made for virtual machines: far faster, but the guest needs drivers (Linux has them built in; Windows gets them from the virtio-win disc; macOS has few).
          <strong> Emulated</strong> devices imitate real hardware every system knows, at a cost in speed.
        </p>
        <Field id="field-disk-bus" label="Disk controller" error={err('diskBus')} hint={reason('disks.0.bus')}>
          {select('diskBus', c?.disks[0]?.bus, [
            ['virtio', 'virtio-blk (fastest, needs a driver)'],
            ['nvme', 'NVMe (fast, no extra driver on current systems)'],
            ['scsi', 'virtio-scsi (many disks, TRIM)'],
            ['sata', 'SATA / AHCI (emulated, works everywhere)'],
            ['ide', 'IDE (emulated, very old systems)'],
          ])}
        </Field>
        <Field id="field-nic" label="Network card" error={err('nic')} hint={reason('network.nic')}>
          {select('nic', c?.network.nic, [
            ['virtio-net', 'virtio-net (fastest, needs a driver)'],
            ['e1000e', 'Intel e1000e (emulated, Windows has the driver)'],
            ['e1000', 'Intel e1000 (emulated, older systems)'],
            ['vmxnet3', 'VMware vmxnet3 (macOS)'],
            ['rtl8139', 'Realtek 8139 (emulated, 100 Mbit/s)'],
          ])}
        </Field>
        <Field id="field-display" label="Display adapter" error={err('display')} hint={reason('display.device')}>
          {select('display', c?.display.device, [
            ['virtio-vga', 'virtio-vga (resizes with the window)'],
            ['std', 'Standard VGA (every system)'],
            ['qxl', 'QXL (SPICE)'],
            ['vmware-svga', 'VMware SVGA (macOS)'],
            ['ramfb', 'ramfb (simple framebuffer)'],
            ['none', 'None (serial console only)'],
          ])}
        </Field>
      </>
    );
  } else if (step === 'shares') {
    const methods = SHARE_METHODS_FOR[w.os];
    const defaultMethod = preview?.config.sharedFolders[0]?.method ?? (w.os.startsWith('windows') && !w.driversIso ? 'smb' : methods[0]!);
    const chosen = w.shareMethod || defaultMethod;
    body = (
      <>
        <p className="hint intro">Folders of this computer the guest can open. Each becomes a share named after the folder.</p>
        {w.shares.map((s, i) => (
          <div className="share-row" key={i}>
            <PathField
              id={`field-share-${i}`}
              label={`Folder ${i + 1}`}
              mode="dir"
              value={s}
              onChange={(v) => update({ shares: w.shares.map((x, j) => (j === i ? v : x)) })}
              error={err(`shares.${i}`)}
              placeholder="/home/you/Projects"
            />
            <button type="button" className="btn btn-small" data-testid={`share-remove-${i}`} onClick={() => update({ shares: w.shares.filter((_, j) => j !== i) })}>
              Remove
            </button>
          </div>
        ))}
        <p>
          <button type="button" className="btn" data-testid="share-add" onClick={() => update({ shares: [...w.shares, ''] })} disabled={w.shares.length >= 16}>
            Add a folder
          </button>
        </p>
        <Field id="field-share-method" label="How the guest sees them" error={err('shareMethod')}>
          {select(
            'shareMethod',
            defaultMethod,
            methods.map((m) => [m, m === '9p' ? '9p (virtio-9p)' : m === 'smb' ? 'SMB (Samba)' : 'virtiofs']),
          )}
        </Field>
        <ul className="method-list">
          {methods.map((m) => (
            <li key={m} className={m === chosen ? 'chosen' : undefined}>
              {SHARE_METHODS[m]}
            </li>
          ))}
        </ul>
      </>
    );
  } else if (step === 'review') {
    const c = preview?.config;
    body = (
      <>
        {c && (
          <dl className="summary" data-testid="wizard-summary">
            <dt>Name</dt>
            <dd>{c.name}{c.title ? ` — ${c.title}` : ''}</dd>
            <dt>Firmware</dt>
            <dd>{FIRMWARE.find((f) => f.id === c.firmware)?.title}{c.tpm.enabled ? ', TPM 2.0' : ''}</dd>
            <dt>CPU and memory</dt>
            <dd>{c.cpu.cores} {c.cpu.cores === 1 ? 'core' : 'cores'}, {formatSize(c.memoryMiB * 1024 * 1024)}</dd>
            <dt>Disk</dt>
            <dd>{c.disks.map((d) => `${d.path} (${d.format}${d.size ? `, ${formatSize(d.size)}` : ''}, ${d.bus})`).join('; ') || 'none'}</dd>
            <dt>Media</dt>
            <dd>{c.media.map((m) => `${m.role}: ${m.path}`).join('; ') || 'none'}</dd>
            <dt>Devices</dt>
            <dd>{c.network.nic}, {c.display.device}</dd>
            <dt>Shared folders</dt>
            <dd>{c.sharedFolders.map((s) => `${s.hostPath} as “${s.tag}” (${s.method})`).join('; ') || 'none'}</dd>
          </dl>
        )}
        <h3>The exact command</h3>
        <p className="hint">This is what Start runs; nothing else is added. Paths to the guest’s own folder appear once it exists.</p>
        {preview?.plan ? (
          <>
            <pre className="command" data-testid="wizard-review-command">{preview.plan.command}</pre>
            <CopyButton text={preview.plan.command} testId="wizard-review-copy" />
            {preview.plan.warnings.length > 0 && (
              <ul className="warnings" data-testid="wizard-review-warnings">
                {preview.plan.warnings.map((x) => (
                  <li key={x.id}>⚠ {x.message}</li>
                ))}
              </ul>
            )}
            {preview.plan.sidecars.length > 0 && (
              <>
                <h4>Helpers started next to QEMU</h4>
                <ul className="sidecars">
                  {preview.plan.sidecars.map((s) => (
                    <li key={s.kind}>
                      <strong>{s.kind}</strong>: {s.purpose}
                      <pre className="command">{s.command}</pre>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        ) : (
          <div className="notice notice-warning" data-testid="wizard-review-command">
            {preview?.planError ? <>This host cannot run the guest as it is: {preview.planError}. You can still create it and fix the host (see Host).</> : busy ? 'Building the command…' : 'The command could not be built yet.'}
          </div>
        )}
      </>
    );
  }

  const title = STEPS[idx]!.label;
  const macosBlocked = w.os === 'macos';
  return (
    <section className="page wizard" aria-labelledby="wizard-title">
      <header className="page-head">
        <h1 id="wizard-title">New guest</h1>
      </header>
      <div className="wizard-body">
        <nav className="steps" aria-label="Steps">
          <ol>
            {STEPS.map((s, i) => (
              <li key={s.id}>
                <button
                  type="button"
                  className={`step${s.id === step ? ' current' : ''}${i < idx ? ' done' : ''}`}
                  data-testid={`wizard-step-${s.id}`}
                  aria-current={s.id === step ? 'step' : undefined}
                  disabled={i > visited || (macosBlocked && i > 0)}
                  onClick={() => setStep(s.id)}
                >
                  <span className="step-num">{i + 1}</span> {s.label}
                  {Object.keys(errors).some((k) => stepOfField(k.replace('memoryGiB', 'memoryMiB')) === s.id) && <span className="step-error" aria-label="has errors">!</span>}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <form
          className="step-body"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (step === 'review') void create();
            else if (!macosBlocked) void next();
          }}
        >
          <h2 tabIndex={-1} ref={headingRef}>
            {title}
          </h2>
          {body}
          {general !== null && <ErrorNotice error={general} title="Guestbay could not check these settings" testId="wizard-error" />}
          <footer className="wizard-foot">
            <button type="button" className="btn" data-testid="wizard-back" onClick={back} disabled={idx === 0 || busy !== null}>
              Back
            </button>
            {step === 'review' ? (
              <button type="submit" className="btn btn-primary" data-testid="wizard-create" disabled={busy !== null}>
                {busy === 'create' ? 'Creating…' : 'Create guest'}
              </button>
            ) : (
              <button type="submit" className="btn btn-primary" data-testid="wizard-next" disabled={busy !== null || macosBlocked}>
                {busy === 'check' ? 'Checking…' : 'Next'}
              </button>
            )}
          </footer>
        </form>
      </div>
    </section>
  );
}
