// One guest: state and actions, its settings explained, the exact command, logs, saved state
// and the serial console.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { CallError, type CallOutput } from '../../shared/contract';
import { coresProblem, hostLimits, memoryProblem, parseCoresText, parseMemoryGiBText } from '../../shared/limits';
import type { HostCaps } from '../../shared/host-caps';
import type { VmConfig } from '../../shared/vm-config';
import { FIRMWARE_LABELS, FIRMWARE_MEANINGS } from '../../shared/vm-choices';
import { formatSize } from '../../shared/size';
import { CopyButton } from '../components/CopyButton';
import { ErrorNotice } from '../components/ErrorNotice';
import { FieldError } from '../components/PathField';
import { GuestActions } from '../components/GuestActions';
import { GuestThumb } from '../components/GuestThumb';
import { DisplayView } from '../display/DisplayView';
import { OsIcon } from '../components/Icons';
import { ProgressBar } from '../components/ProgressBar';
import { SerialConsole } from '../components/SerialConsole';
import { MacosCompanion } from '../components/MacosCompanion';
import { StateBadge } from '../components/StateBadge';
import { cardWords, soundWords } from '../guest-words';
import { useApp, useClient } from '../store';

type Plan = CallOutput<'guests.cmdline'>;
type Logs = CallOutput<'guests.logs'>;

function Row({ label, children, why }: { label: string; children: ReactNode; why?: string }) {
  return (
    <div className="setting">
      <dt>{label}</dt>
      <dd>
        {children}
        {why && <span className="hint">{why}</span>}
      </dd>
    </div>
  );
}

type SettingsErrors = { cores?: string; memory?: string };

/**
 * The edited cores and memory against the same limits as the wizard and the API (limits.ts).
 * Like the API, a value left as it was is not held to this host: a guest moved here from a
 * larger machine can still have its memory changed.
 */
function checkSettings(config: VmConfig, cores: string, mem: string, host: HostCaps | undefined) {
  const limits = host ? hostLimits(host) : undefined;
  const c = parseCoresText(cores);
  const m = parseMemoryGiBText(mem);
  const errors: SettingsErrors = {
    cores: (c.ok ? (c.cores === config.cpu.cores ? null : coresProblem(c.cores, config.os, limits)) : c.error) ?? undefined,
    memory: (m.ok ? (m.memoryMiB === config.memoryMiB ? null : memoryProblem(m.memoryMiB, config.os, limits)) : m.error) ?? undefined,
  };
  return { errors, cores: c.ok ? c.cores : undefined, memoryMiB: m.ok ? m.memoryMiB : undefined };
}

/** Where the screen is shown, each choice with its why; changed while the guest is stopped. */
function DisplayChoice({ config, revision, editable, onSaved }: { config: VmConfig; revision: string | undefined; editable: boolean; onSaved(c: VmConfig, revision: string): void }) {
  const client = useClient();
  const [error, setError] = useState<unknown>(null);
  const d = config.display;
  const choose = async (viewer: VmConfig['display']['viewer']) => {
    setError(null);
    try {
      const next = await client.call('guests.update', { name: config.name, revision: revision ?? '', config: { ...config, display: { ...d, viewer } } });
      onSaved(next.config, next.revision);
    } catch (e) {
      setError(e);
    }
  };
  const windowName = d.window === 'spice' ? 'SPICE (remote-viewer)' : `QEMU's ${d.window.toUpperCase()} window`;
  const choices = [
    {
      viewer: 'guestbay' as const,
      title: 'In Guestbay',
      why: 'Works in the browser and over SSH too; clipboard through spice-vdagent; the resolution follows the window with virtio-vga.',
    },
    {
      viewer: 'window' as const,
      title: `Own window: ${windowName}`,
      why: 'The fastest on this computer’s own desktop, with 3D acceleration (virgl) when OpenGL is on; not in browser mode.',
    },
  ];
  return (
    <span className="viewer-choice" role="radiogroup" aria-label="Where the screen is shown">
      <span className="line">{cardWords(d)}</span>
      {choices.map((c) => (
        <label key={c.viewer} className={`choice${d.viewer === c.viewer ? ' selected' : ''}`}>
          <input type="radio" name="viewer" value={c.viewer} checked={d.viewer === c.viewer} disabled={!editable} data-testid={`settings-viewer-${c.viewer}`} onChange={() => void choose(c.viewer)} />
          <span>
            <strong>{c.title}</strong>
            <span className="hint">{c.why}</span>
          </span>
        </label>
      ))}
      {error !== null && <ErrorNotice error={error} title="The display setting was not saved" />}
    </span>
  );
}

function Settings({ config, revision, editable, onSaved }: { config: VmConfig; revision: string | undefined; editable: boolean; onSaved(c: VmConfig, revision: string): void }) {
  const client = useClient();
  const host = useApp((s) => s.host);
  const [editing, setEditing] = useState(false);
  const [cores, setCores] = useState(String(config.cpu.cores));
  const [mem, setMem] = useState(String(config.memoryMiB / 1024));
  const [error, setError] = useState<unknown>(null);
  const [fieldErrors, setFieldErrors] = useState<SettingsErrors>({});
  const save = async () => {
    setError(null);
    const checked = checkSettings(config, cores, mem, host);
    setFieldErrors(checked.errors);
    if (checked.errors.cores || checked.errors.memory) return;
    try {
      // The revision this form was made on: another client's change in between is a conflict, not overwritten.
      const next = await client.call('guests.update', {
        name: config.name,
        revision: revision ?? '',
        config: { ...config, cpu: { ...config.cpu, cores: checked.cores! }, memoryMiB: checked.memoryMiB! },
      });
      onSaved(next.config, next.revision);
      setEditing(false);
    } catch (e) {
      // The server's word on a field goes next to that field; anything else above the settings.
      const fields = e instanceof CallError ? e.fields : [];
      const byField = { cores: fields.find((f) => f.field === 'cpu.cores')?.message, memory: fields.find((f) => f.field === 'memoryMiB')?.message };
      setFieldErrors(byField);
      if (fields.length === 0 || fields.some((f) => f.field !== 'cpu.cores' && f.field !== 'memoryMiB')) setError(e);
    }
  };
  const cancel = () => {
    setEditing(false);
    setFieldErrors({});
    setError(null);
    setCores(String(config.cpu.cores));
    setMem(String(config.memoryMiB / 1024));
  };
  return (
    <section className="panel" aria-labelledby="settings-title">
      <header className="panel-head">
        <h2 id="settings-title">Settings</h2>
        {editable && !editing && (
          <button type="button" className="btn btn-small" data-testid="settings-edit" onClick={() => setEditing(true)}>
            Edit CPU and memory
          </button>
        )}
        {!editable && <span className="muted">Stop the guest to change its settings.</span>}
      </header>
      {editing && (
        <div className="edit-row">
          <div className={`edit-field${fieldErrors.cores ? ' has-error' : ''}`}>
            <label htmlFor="settings-cores">Cores</label>
            <input
              id="settings-cores"
              data-testid="settings-cores"
              value={cores}
              inputMode="numeric"
              aria-invalid={fieldErrors.cores ? true : undefined}
              aria-describedby={fieldErrors.cores ? 'settings-cores-error' : undefined}
              onChange={(e) => setCores(e.target.value)}
            />
            <FieldError id="settings-cores" message={fieldErrors.cores} />
          </div>
          <div className={`edit-field${fieldErrors.memory ? ' has-error' : ''}`}>
            <label htmlFor="settings-memory">Memory (GiB)</label>
            <input
              id="settings-memory"
              data-testid="settings-memory"
              value={mem}
              inputMode="decimal"
              aria-invalid={fieldErrors.memory ? true : undefined}
              aria-describedby={fieldErrors.memory ? 'settings-memory-error' : undefined}
              onChange={(e) => setMem(e.target.value)}
            />
            <FieldError id="settings-memory" message={fieldErrors.memory} />
          </div>
          <div className="edit-actions">
            <button type="button" className="btn btn-primary btn-small" data-testid="settings-save" onClick={() => void save()}>
              Save
            </button>
            <button type="button" className="btn btn-small" data-testid="settings-cancel" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error !== null && <ErrorNotice error={error} title="The settings were not saved" />}
      <dl className="settings">
        <Row label="System" why="Which preset made it; it only chose the defaults below.">
          {config.os.family} {config.os.version} {config.preset && <span className="muted">(preset {config.preset})</span>}
        </Row>
        <Row label="Machine" why="q35 is a modern PC with PCI Express; pc (i440FX) is the old one for very old systems.">
          {config.machine}, accelerator {config.accel}
        </Row>
        <Row label="Firmware" why={FIRMWARE_MEANINGS[config.firmware]}>{FIRMWARE_LABELS[config.firmware]}{config.tpm.enabled ? ' · TPM 2.0 (swtpm)' : ''}</Row>
        <Row label="CPU" why="auto: the host's own CPU under KVM; a compatible model otherwise.">
          {config.cpu.cores} {config.cpu.cores === 1 ? 'core' : 'cores'}, model {config.cpu.model}
        </Row>
        <Row label="Memory">{formatSize(config.memoryMiB * 1024 * 1024)}</Row>
        <Row label="Disks" why="virtio is fastest; SATA and IDE are emulated for systems without virtio drivers.">
          {config.disks.map((d) => (
            <span key={d.id} className="line">
              <code>{d.path}</code> {d.format}
              {d.size ? `, ${formatSize(d.size)}` : ''}, {d.bus}
              {d.readOnly ? ', read-only' : ''}
            </span>
          ))}
          {config.disks.length === 0 && 'none'}
        </Row>
        <Row label="Media">
          {config.media.map((m) => (
            <span key={m.role + m.path} className="line">
              {m.role}: <code>{m.path}</code> ({m.as} on {m.bus})
            </span>
          ))}
          {config.media.length === 0 && 'none'}
        </Row>
        {config.kernelBoot && (
          <Row label="Direct kernel boot" why="QEMU loads this kernel itself, without a bootloader.">
            <code>{config.kernelBoot.kernel}</code>
            {config.kernelBoot.initrd && (
              <>
                {' '}
                + <code>{config.kernelBoot.initrd}</code>
              </>
            )}
            {config.kernelBoot.append && (
              <span className="line">
                arguments: <code>{config.kernelBoot.append}</code>
              </span>
            )}
          </Row>
        )}
        <Row label="Network" why="user: the guest reaches the network through QEMU, invisible from outside; forwarded ports listen on 127.0.0.1 only by default.">
          {config.network.mode}, {config.network.nic}
          {config.network.portForwards.map((f) => (
            <span key={`${f.protocol}${f.hostPort}`} className="line">
              {f.hostAddress}:{f.hostPort} → guest {f.guestPort}/{f.protocol}
            </span>
          ))}
        </Row>
        <Row label="Display">
          <DisplayChoice config={config} revision={revision} editable={editable} onSaved={onSaved} />
        </Row>
        <Row label="Shared folders">
          {config.sharedFolders.map((s) => (
            <span key={s.tag} className="line">
              <code>{s.hostPath}</code> as “{s.tag}” ({s.method}
              {s.readOnly ? ', read-only' : ''})
            </span>
          ))}
          {config.sharedFolders.length === 0 && 'none'}
        </Row>
        <Row label="Sound">
          {soundWords(config.audio)}
        </Row>
        {config.extraArgs.length > 0 && (
          <Row label="Extra arguments" why="Appended verbatim to the command.">
            <code>{config.extraArgs.join(' ')}</code>
          </Row>
        )}
      </dl>
    </section>
  );
}

export function GuestPage({ name }: { name: string }) {
  const client = useClient();
  const summary = useApp((s) => s.guests.find((g) => g.name === name));
  const [config, setConfig] = useState<VmConfig | null>(null);
  const [revision, setRevision] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [planError, setPlanError] = useState<unknown>(null);
  const [logs, setLogs] = useState<Logs | null>(null);
  const [showConsole, setShowConsole] = useState(false);
  const state = summary?.status?.state ?? 'stopped';
  const status = summary?.status;

  useEffect(() => {
    let live = true;
    client.call('guests.get', { name }).then(
      (r) => live && (setConfig(r.config), setRevision(r.revision), setError(null)),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, name]);

  // Changed elsewhere (another window, a tab, the CLI): the store has the new config from `guests.changed`.
  useEffect(() => {
    if (summary?.config && summary.revision && summary.revision !== revision) {
      setConfig(summary.config);
      setRevision(summary.revision);
    }
  }, [summary?.config, summary?.revision, revision]);

  useEffect(() => {
    let live = true;
    client.call('guests.cmdline', { name }).then(
      (p) => live && (setPlan(p), setPlanError(null)),
      (e: unknown) => live && setPlanError(e),
    );
    return () => {
      live = false;
    };
  }, [client, name, config]);

  const loadLogs = useCallback(() => {
    client.call('guests.logs', { name, lines: 200 }).then(setLogs, () => setLogs([]));
  }, [client, name]);
  useEffect(() => loadLogs(), [loadLogs, state]);

  const running = state === 'running' || state === 'paused';
  useEffect(() => {
    if (!running) setShowConsole(false);
  }, [running]);

  if (error !== null && !config) {
    return (
      <section className="page">
        <h1>{name}</h1>
        <ErrorNotice error={error} title="This guest could not be opened" />
      </section>
    );
  }
  const title = config?.title || name;
  // A macOS guest whose recovery disk is still attached is being installed.
  const installingMac = config?.os.family === 'macos' && config.media.some((m) => m.role === 'recovery');
  return (
    <section className="page guest-page" aria-labelledby="guest-title" data-testid={`guest-page-${name}`}>
      <header className="page-head">
        <OsIcon family={config?.os.family} />
        <h1 id="guest-title">
          {title}
          {title !== name && <span className="page-sub">{name}</span>}
        </h1>
        <StateBadge state={state} testId={`guest-state-${name}`} />
      </header>
      {config && config.display.device !== 'none' && !(config.display.viewer === 'window' && config.display.gl) && <DisplayView name={name} title={title} state={state} />}
      <div className={`guest-top${installingMac ? ' with-companion' : ''}${config && config.display.device !== 'none' ? ' no-thumb' : ''}`}>
        {config && config.display.device === 'none' && <GuestThumb name={name} state={state} title={title} />}
        {config?.display.viewer === 'window' && config.display.gl && <GuestThumb name={name} state={state} title={title} />}
        <div>
          <GuestActions name={name} title={config?.title} status={status} />
          {summary?.progress && <ProgressBar progress={summary.progress} testId={`guest-progress-${name}`} />}
          {status?.detail && <p className="hint">{status.detail}</p>}
          {status?.accel && <p className="hint">{status.accel === 'kvm' ? 'Running with KVM: at nearly the host’s speed.' : 'Running under software emulation (TCG): slow. See Host for how to enable KVM.'}</p>}
          <div className="saved" data-testid="guest-saved-state">
            <h3>Saved state</h3>
            {state === 'saved' ? (
              <p>The guest’s memory is saved on disk: Start continues exactly where it was.</p>
            ) : status?.savable?.ok === false ? (
              <p>This guest cannot be saved: {status.savable.reason}</p>
            ) : (
              <p className="muted">No saved state. Save state writes the running guest’s memory to disk and stops it.</p>
            )}
          </div>
        </div>
        {installingMac && <MacosCompanion name={name} state={state} onFinished={setConfig} />}
      </div>
      {config && (
        <Settings
          config={config}
          revision={revision}
          editable={state === 'stopped' || state === 'crashed'}
          onSaved={(c, r) => {
            setConfig(c);
            setRevision(r);
          }}
        />
      )}
      <section className="panel" aria-labelledby="cmd-title">
        <header className="panel-head">
          <h2 id="cmd-title">The exact command</h2>
          {plan && <CopyButton text={plan.command} testId="guest-command-copy" />}
        </header>
        {plan && (
          <>
            <pre className="command" data-testid="guest-command">{plan.command}</pre>
            {plan.warnings.length > 0 && (
              <ul className="warnings">
                {plan.warnings.map((w) => (
                  <li key={w.id}>⚠ {w.message}</li>
                ))}
              </ul>
            )}
            {plan.sidecars.map((s) => (
              <div key={s.kind}>
                <p>
                  <strong>{s.kind}</strong>: {s.purpose}
                </p>
                <pre className="command">{s.command}</pre>
              </div>
            ))}
          </>
        )}
        {planError !== null && <ErrorNotice error={planError} title="This host cannot build the command yet" />}
      </section>
      <section className="panel" aria-labelledby="serial-title">
        <header className="panel-head">
          <h2 id="serial-title">Serial console</h2>
          {running && (
            <button type="button" className="btn btn-small" data-testid="serial-toggle" onClick={() => setShowConsole((v) => !v)}>
              {showConsole ? 'Close console' : 'Open console'}
            </button>
          )}
        </header>
        {!running && <p className="muted">Available while the guest runs.</p>}
        {running && showConsole && <SerialConsole name={name} />}
      </section>
      <section className="panel" aria-labelledby="logs-title">
        <header className="panel-head">
          <h2 id="logs-title">Logs</h2>
          <button type="button" className="btn btn-small" data-testid="logs-refresh" onClick={loadLogs}>
            Refresh
          </button>
        </header>
        {logs && logs.length === 0 && <p className="muted">No logs yet: they appear once the guest has started.</p>}
        {logs?.map((l) => (
          <details key={l.file} className="log" open={logs.length === 1}>
            <summary>{l.file}</summary>
            <pre data-testid={`guest-log-${l.file}`}>{l.text || '(empty)'}</pre>
          </details>
        ))}
      </section>
    </section>
  );
}
