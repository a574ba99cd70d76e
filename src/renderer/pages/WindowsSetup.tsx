// The guided first Windows guest: this host's preflight, the Windows ISO (the user's own, its
// version and editions read from it, or Microsoft's download), the virtio-win drivers disc
// (downloaded and checked, or the user's own), the account, then the preparation followed
// through `windows.job` events, and a start that opens the guest with its companion panel.
// Everything runs in the main process's prepare code, the same the CLI runs.
import { useEffect, useMemo, useState } from 'react';
import { CallError, WINDOWS_PREPARE_STEPS, type CallOutput, type WindowsJob } from '../../shared/contract';
import type { Finding } from '../../shared/host-caps';
import { GuidedSetupFrame } from '../components/guided/GuidedSetupFrame';
import { BlockedLine, PreflightFindings } from '../components/guided/HostChecks';
import { JobSteps } from '../components/guided/JobSteps';
import { FieldError, PathField } from '../components/PathField';
import { useApp, useClient } from '../store';

type Step = 'host' | 'iso' | 'drivers' | 'account' | 'prepare';
const STEPS: { id: Step; label: string }[] = [
  { id: 'host', label: 'This host' },
  { id: 'iso', label: 'Windows ISO' },
  { id: 'drivers', label: 'Drivers' },
  { id: 'account', label: 'Account' },
  { id: 'prepare', label: 'Prepare and start' },
];
/** Which step shows a field's error. */
const FIELD_STEP: Record<string, Step> = { iso: 'iso', edition: 'iso', download: 'iso', virtioWin: 'drivers', name: 'account', user: 'account', password: 'account', diskSize: 'account' };

type Version = '10' | '11';
type IsoInfo = CallOutput<'windows.inspect'>;
type VirtioSource = CallOutput<'windows.virtioWin'>;
const ISO_FILTERS = [{ name: 'Windows ISO', extensions: ['iso'] }];

function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof CallError)) return {};
  return Object.fromEntries(e.fields.map((f) => [f.field, f.message]));
}

export function WindowsSetupPage({ version: initial }: { version?: Version }) {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const loadGuests = useApp((s) => s.loadGuests);
  const [step, setStep] = useState<Step>('host');
  const [version, setVersion] = useState<Version>(initial ?? '11');
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [preflightError, setPreflightError] = useState<unknown>(null);
  const [allowTcg, setAllowTcg] = useState(false);
  const [bypass, setBypass] = useState(false);
  const [isoMode, setIsoMode] = useState<'own' | 'download'>('own');
  const [isoPath, setIsoPath] = useState('');
  const [iso, setIso] = useState<IsoInfo | null>(null);
  const [isoError, setIsoError] = useState<string | undefined>();
  const [edition, setEdition] = useState('');
  const [reading, setReading] = useState(false);
  const [driversMode, setDriversMode] = useState<'download' | 'own'>('download');
  const [virtioPath, setVirtioPath] = useState('');
  const [virtio, setVirtio] = useState<VirtioSource | null>(null);
  const [name, setName] = useState(`win${initial ?? '11'}`);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [job, setJob] = useState<WindowsJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'prepare' | 'start' | null>(null);

  useEffect(() => {
    let live = true;
    setFindings(null);
    client.call('windows.preflight', { version, bypassRequirements: bypass }).then(
      (f) => live && (setFindings(f), setPreflightError(null)),
      (e: unknown) => live && setPreflightError(e),
    );
    return () => {
      live = false;
    };
  }, [client, version, bypass]);

  useEffect(() => {
    void client.call('windows.virtioWin', {}).then(setVirtio, () => undefined);
  }, [client]);

  // A preparation already running (this window was reloaded, or opened mid-way) is picked up.
  useEffect(() => {
    void client.call('windows.jobs', {}).then((jobs) => {
      const running = jobs.find((j) => j.state === 'running');
      if (running) {
        setJob(running);
        setName(running.name);
        setStep('prepare');
      }
    }, () => undefined);
  }, [client]);

  useEffect(() => client.on('windows.job', (j) => setJob((cur) => (cur && cur.name === j.name ? j : cur))), [client]);

  const kvm = findings?.find((f) => f.id === 'windows-kvm');
  const noKvm = kvm !== undefined && kvm.status !== 'ok';
  const swtpm = findings?.find((f) => f.id === 'windows-swtpm');
  const missing = (findings ?? []).filter((f) => f.status === 'missing');
  const hostOk = findings !== null && missing.length === 0 && (!noKvm || allowTcg);
  const errors = useMemo((): Record<string, string | undefined> => ({ ...fieldErrors(error), ...(isoError ? { iso: isoError } : {}) }), [error, isoError]);
  const passwordsDiffer = password2 !== '' && password !== password2;
  const idx = STEPS.findIndex((s) => s.id === step);

  // The ISO is read once the path stops changing (typing a path must not read every prefix of it).
  useEffect(() => {
    setIso(null);
    setIsoError(undefined);
    setReading(false);
    if (isoMode !== 'own' || !isoPath.trim()) return;
    let live = true;
    const timer = setTimeout(() => {
      setReading(true);
      client.call('windows.inspect', { path: isoPath.trim() }).then(
        (info) => {
          if (!live) return;
          setIso(info);
          setEdition(info.picked?.name ?? '');
          if (!info.version) setIsoError(`This ISO (label “${info.label}”) is not a Windows 10 or 11 installer Guestbay can tell.`);
          // The ISO says which Windows it is: the host is judged for that one.
          else setVersion(info.version);
        },
        (e: unknown) => live && setIsoError(fieldErrors(e).iso ?? (e as Error).message),
      ).finally(() => live && setReading(false));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, isoPath, isoMode]);

  const prepare = async () => {
    if (password !== password2) return;
    setBusy('prepare');
    setError(null);
    try {
      const started = await client.call('windows.prepare', {
        name: name.trim(),
        // The edition only when the user changed it: Guestbay's own pick then says why it picked it.
        ...(isoMode === 'own' ? { iso: isoPath.trim(), ...(edition && edition !== iso?.picked?.name ? { edition } : {}) } : { download: version }),
        ...(driversMode === 'own' ? { virtioWin: virtioPath.trim() } : {}),
        user: user.trim(),
        password,
        allowTcg,
        bypassRequirements: bypass,
      });
      setJob(started);
      setStep('prepare');
    } catch (e) {
      setError(e);
      const at = Object.keys(fieldErrors(e)).map((f) => FIELD_STEP[f]).find(Boolean);
      if (at) setStep(at);
    } finally {
      setBusy(null);
    }
  };

  const startGuest = async () => {
    if (!job) return;
    setBusy('start');
    try {
      await client.call('guests.start', { name: job.name });
      await loadGuests();
      navigate({ page: 'guest', name: job.name });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  let body;
  if (step === 'host') {
    body = (
      <>
        <fieldset className="choice-row" data-testid="windows-version">
          <legend>Which Windows</legend>
          {(['11', '10'] as const).map((v) => (
            <label key={v} className="radio">
              <input type="radio" name="windows-version" data-testid={`windows-version-${v}`} checked={version === v} onChange={() => setVersion(v)} /> Windows {v}
            </label>
          ))}
        </fieldset>
        <p>
          Before anything is downloaded: what this host needs for Windows {version}, each finding with its fix. Windows installs by itself from an answer
          file, with the virtio drivers, in a sparse disk that takes only what Windows writes.
        </p>
        <PreflightFindings prefix="windows" findings={findings} error={preflightError} allowTcg={{ checked: allowTcg, onChange: setAllowTcg }} />
        {version === '11' && swtpm && (swtpm.status !== 'ok' || bypass) && (
          <label className="ack" data-testid="windows-bypass-row">
            <input type="checkbox" data-testid="windows-bypass" checked={bypass} onChange={(e) => setBypass(e.target.checked)} /> Tell Windows 11 Setup to skip its TPM
            and Secure Boot checks (no swtpm here; no BitLocker with a TPM)
          </label>
        )}
        <BlockedLine prefix="windows" blocked={missing.length > 0} />
      </>
    );
  } else if (step === 'iso') {
    body = (
      <>
        <fieldset className="release-picker">
          <legend>Where the Windows ISO comes from</legend>
          <label className={`release-choice${isoMode === 'own' ? ' selected' : ''}`} data-testid="windows-iso-own">
            <input type="radio" name="iso-mode" checked={isoMode === 'own'} onChange={() => setIsoMode('own')} />
            <span>
              <strong>My own ISO</strong>
              <span className="hint">Downloaded from Microsoft in a browser, or from your organisation. Guestbay reads its version and editions from it.</span>
            </span>
          </label>
          <label className={`release-choice${isoMode === 'download' ? ' selected' : ''}`} data-testid="windows-iso-download">
            <input type="radio" name="iso-mode" checked={isoMode === 'download'} onChange={() => setIsoMode('download')} />
            <span>
              <strong>Download Windows {version} from Microsoft</strong>
              <span className="hint">
                The English multi-edition ISO (about 6 GiB) from Microsoft’s public download service, resumable, checked against the SHA-256 Microsoft
                publishes. Microsoft refuses some networks and VPNs: then Guestbay says so and gives you the page to download it by hand.
              </span>
            </span>
          </label>
        </fieldset>
        {isoMode === 'own' ? (
          <>
            <PathField id="windows-iso" label="Windows ISO" value={isoPath} onChange={setIsoPath} error={errors.iso} filters={ISO_FILTERS} placeholder="/path/to/Win11.iso" />
            {reading && <p className="muted">Reading the ISO…</p>}
            {iso?.version && (
              <div className="notice" data-testid="windows-iso-info">
                <p>
                  <strong>Windows {iso.version}</strong> <span className="muted">· label {iso.label} · editions read from {iso.source}{iso.filesystem === 'udf' ? ' in its UDF file system' : ''}</span>
                </p>
                {iso.note && <p className="hint">{iso.note}</p>}
                {iso.images.length > 0 ? (
                  <div className={`field${errors.edition ? ' has-error' : ''}`}>
                    <label htmlFor="windows-edition">Edition to install</label>
                    <select id="windows-edition" data-testid="windows-edition" value={edition} onChange={(e) => setEdition(e.target.value)}>
                      {iso.images.map((i) => (
                        <option key={i.index} value={i.name}>
                          {i.name}
                          {i.build ? ` (build ${i.build})` : ''}
                        </option>
                      ))}
                    </select>
                    {iso.picked && edition === iso.picked.name && <p className="hint">{iso.picked.reason}</p>}
                    <FieldError id="windows-edition" message={errors.edition} />
                  </div>
                ) : (
                  <div className={`field${errors.edition ? ' has-error' : ''}`}>
                    <label htmlFor="windows-edition">Edition to install (as the ISO names it)</label>
                    <input id="windows-edition" data-testid="windows-edition" value={edition} placeholder="Windows 11 Pro" onChange={(e) => setEdition(e.target.value)} />
                    <FieldError id="windows-edition" message={errors.edition} />
                  </div>
                )}
              </div>
            )}
          </>
        ) : (
          errors.download && <FieldError id="windows-download" message={errors.download} />
        )}
      </>
    );
  } else if (step === 'drivers') {
    body = (
      <>
        <p>
          Windows has no drivers for QEMU’s fast virtio disk and network: Setup loads them from the virtio-win disc (the Fedora project’s build of Red
          Hat’s drivers), and the guest tools and guest agent install from it at the first logon.
        </p>
        <fieldset className="release-picker">
          <legend>The virtio-win drivers disc</legend>
          <label className={`release-choice${driversMode === 'download' ? ' selected' : ''}`} data-testid="windows-drivers-download">
            <input type="radio" name="drivers-mode" checked={driversMode === 'download'} onChange={() => setDriversMode('download')} />
            <span>
              <strong>Download virtio-win {virtio?.version ?? ''}</strong>
              <span className="hint">Once for all guests (about 750 MiB), kept in Guestbay’s cache, resumable.</span>
            </span>
          </label>
          <label className={`release-choice${driversMode === 'own' ? ' selected' : ''}`} data-testid="windows-drivers-own">
            <input type="radio" name="drivers-mode" checked={driversMode === 'own'} onChange={() => setDriversMode('own')} />
            <span>
              <strong>My own virtio-win ISO</strong>
              <span className="hint">Any virtio-win release (its label must read virtio-win-…).</span>
            </span>
          </label>
        </fieldset>
        {driversMode === 'download' && virtio && (
          <div className="notice" data-testid="windows-virtio-trust">
            <p>
              From <code>{virtio.url}</code>
            </p>
            {virtio.sha256 ? (
              <p>
                It must have the SHA-256 pinned in this Guestbay build: <code className="hash">{virtio.sha256}</code>. Any other file is refused.
              </p>
            ) : virtio.firstSeen ? (
              <p>
                No SHA-256 is pinned for it in this build. Its first download here, on {new Date(virtio.firstSeen.at).toLocaleString()}, had{' '}
                <code className="hash">{virtio.firstSeen.sha256}</code>: every later one must match it (trust on first use).
              </p>
            ) : (
              <p>
                <strong>Trust on first use:</strong> no SHA-256 is pinned for it in this build, so Guestbay records the hash of this first download, shows
                it to you, and refuses any later file that differs. A first download that was already tampered with would not be caught: compare the hash
                with the one the Fedora project lists, if you can.
              </p>
            )}
            {virtio.cached && <p className="muted">Already downloaded: it is checked again, not fetched.</p>}
          </div>
        )}
        {driversMode === 'own' && (
          <PathField id="windows-virtio" label="virtio-win ISO" value={virtioPath} onChange={setVirtioPath} error={errors.virtioWin} filters={ISO_FILTERS} placeholder="/path/to/virtio-win.iso" />
        )}
      </>
    );
  } else if (step === 'account') {
    body = (
      <>
        <div className={`field${errors.name ? ' has-error' : ''}`}>
          <label htmlFor="windows-name">Guest name</label>
          <input id="windows-name" data-testid="windows-field-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={errors.name ? 'windows-name-error' : undefined} />
          <p className="hint">The guest’s folder, and the computer’s name inside Windows.</p>
          <FieldError id="windows-name" message={errors.name} />
        </div>
        <div className={`field${errors.user ? ' has-error' : ''}`}>
          <label htmlFor="windows-user">Windows user name</label>
          <input id="windows-user" data-testid="windows-field-user" value={user} autoComplete="off" onChange={(e) => setUser(e.target.value)} aria-describedby={errors.user ? 'windows-user-error' : undefined} />
          <p className="hint">A local account, an administrator; no Microsoft account is asked for.</p>
          <FieldError id="windows-user" message={errors.user} />
        </div>
        <div className={`field${errors.password ? ' has-error' : ''}`}>
          <label htmlFor="windows-password">Password</label>
          <input id="windows-password" data-testid="windows-field-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          <FieldError id="windows-password" message={errors.password} />
        </div>
        <div className={`field${passwordsDiffer ? ' has-error' : ''}`}>
          <label htmlFor="windows-password2">Password again</label>
          <input id="windows-password2" data-testid="windows-field-password2" type="password" autoComplete="new-password" value={password2} onChange={(e) => setPassword2(e.target.value)} />
          <FieldError id="windows-password2" message={passwordsDiffer ? 'the two passwords differ' : undefined} />
        </div>
        <p className="notice" data-testid="windows-password-note">
          The password is written only to the guest’s answer disk, where Windows Setup reads it (encoded as Setup expects, not encrypted). Guestbay keeps
          it nowhere else: not in the guest’s settings, not in any log. Remove the answer disk once Windows is installed; the guide beside the guest
          reminds you.
        </p>
      </>
    );
  } else {
    body = (
      <WindowsProgress
        job={job}
        busy={busy}
        onStart={() => void startGuest()}
        onCancel={() => job && void client.call('windows.cancel', { name: job.name }).then(setJob, setError)}
        onOwnIso={() => {
          setIsoMode('own');
          setJob(null);
          setStep('iso');
        }}
      />
    );
  }

  const canNext =
    step === 'host'
      ? hostOk
      : step === 'iso'
        ? isoMode === 'download' || (iso?.version != null && !isoError && !reading && edition.trim() !== '')
        : step === 'drivers'
          ? driversMode === 'download' || virtioPath.trim() !== ''
          : true;
  const canPrepare = name.trim() !== '' && user.trim() !== '' && password !== '' && password === password2;
  return (
    <GuidedSetupFrame
      prefix="windows"
      title="A first Windows guest"
      steps={STEPS}
      step={step}
      error={error}
      backDisabled={busy !== null}
      onBack={() => (idx === 0 ? navigate({ page: 'new' }) : setStep(STEPS[idx - 1]!.id))}
      forward={
        step === 'prepare'
          ? null
          : (step === 'account' ? (
                <button type="button" className="btn btn-primary" data-testid="windows-prepare" disabled={busy !== null || !canPrepare} onClick={() => void prepare()}>
                  {busy === 'prepare' ? 'Checking…' : 'Prepare the guest'}
                </button>
              ) : (
                <button type="button" className="btn btn-primary" data-testid="windows-next" disabled={!canNext} onClick={() => setStep(STEPS[idx + 1]!.id)}>
                  Next
                </button>
              ))
      }
    >
      {body}
    </GuidedSetupFrame>
  );
}

function WindowsProgress({ job, busy, onStart, onCancel, onOwnIso }: { job: WindowsJob | null; busy: string | null; onStart(): void; onCancel(): void; onOwnIso(): void }) {
  if (!job) return <p className="muted">Starting…</p>;
  return (
    <div data-testid="windows-progress" data-state={job.state}>
      <JobSteps prefix="windows" steps={WINDOWS_PREPARE_STEPS} job={job} downloadLabel={`Download of ${job.download?.file ?? ''}`} cancelLabel="Cancel (the verified part of a download is kept)" onCancel={onCancel}>
        {job.notes.length > 0 && (
          <ul className="notes" data-testid="windows-notes">
            {job.notes.map((n) => (
              <li key={n} className="hint">
                {n}
              </li>
            ))}
          </ul>
        )}
      </JobSteps>
      {job.state === 'failed' && (
        <div className="notice notice-error" data-testid="windows-failed">
          <strong>It stopped.</strong> <pre className="error-text">{job.error}</pre>
          {job.manualPage ? (
            <>
              <p data-testid="windows-manual-page">
                Download the ISO in your browser from{' '}
                <a href={job.manualPage} target="_blank" rel="noreferrer noopener">
                  {job.manualPage}
                </a>{' '}
                (the multi-edition ISO, your language, 64-bit), then choose it as your own ISO.
              </p>
              <button type="button" className="btn" data-testid="windows-use-own-iso" onClick={onOwnIso}>
                Use my own ISO
              </button>
            </>
          ) : (
            <p>Nothing was created; what was downloaded and verified is kept, so trying again resumes it.</p>
          )}
        </div>
      )}
      {job.state === 'cancelled' && <p className="notice">{job.message}</p>}
      {job.state === 'done' && (
        <div className="notice" data-testid="windows-ready">
          <p>
            <strong>{job.message}.</strong> Start it and press a key when the firmware asks to boot from the DVD: a panel beside the guest walks you
            through Setup’s stages, and reminds you to remove the answer disk at the end.
          </p>
          <button type="button" className="btn btn-primary" data-testid="windows-start" disabled={busy !== null} onClick={onStart}>
            {busy === 'start' ? 'Starting…' : 'Start and open the guide'}
          </button>
        </div>
      )}
    </div>
  );
}
