// The guided first macOS guest: this host's preflight, the release, disk and screen, then the
// preparation (Apple's recovery download with progress, the recovery disk, OpenCore, the guest)
// followed through `macos.job` events, and a start that opens the guest with its companion panel.
import { useEffect, useMemo, useState } from 'react';
import { CallError, MACOS_PREPARE_STEPS, type MacosJob } from '../../shared/contract';
import type { Finding } from '../../shared/host-caps';
import { MACOS_RELEASES, macosRelease, type MacosReleaseKey } from '../../shared/os/macos-releases';
import { MACOS_DEFAULT_RESOLUTION } from '../../shared/presets/macos';
import { SHARE_METHOD_MEANINGS } from '../../shared/vm-choices';
import { GuidedSetupFrame } from '../components/guided/GuidedSetupFrame';
import { BlockedLine, PreflightFindings } from '../components/guided/HostChecks';
import { JobSteps } from '../components/guided/JobSteps';
import { FieldError, PathField } from '../components/PathField';
import { useApp, useClient } from '../store';

type Step = 'host' | 'release' | 'guest' | 'prepare';
const STEPS: { id: Step; label: string }[] = [
  { id: 'host', label: 'This host' },
  { id: 'release', label: 'Release' },
  { id: 'guest', label: 'Disk and screen' },
  { id: 'prepare', label: 'Download and create' },
];

const RESOLUTIONS = ['1280x800', '1440x900', '1920x1080', '2560x1440'];
/** The release offered first: the table's recommended one. */
const DEFAULT_RELEASE: MacosReleaseKey = (MACOS_RELEASES.find((x) => x.recommended) ?? MACOS_RELEASES[0]!).key;

function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof CallError)) return {};
  return Object.fromEntries(e.fields.map((f) => [f.field, f.message]));
}

export function MacosSetupPage() {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const loadGuests = useApp((s) => s.loadGuests);
  const presets = useApp((s) => s.presets);
  const [step, setStep] = useState<Step>('host');
  const [release, setRelease] = useState<MacosReleaseKey>(DEFAULT_RELEASE);
  const [findings, setFindings] = useState<Finding[] | null>(null);
  const [preflightError, setPreflightError] = useState<unknown>(null);
  const [allowTcg, setAllowTcg] = useState(false);
  const [name, setName] = useState('mac');
  const [diskSize, setDiskSize] = useState('');
  const [resolution, setResolution] = useState(`${MACOS_DEFAULT_RESOLUTION.width}x${MACOS_DEFAULT_RESOLUTION.height}`);
  const [share, setShare] = useState('');
  const [job, setJob] = useState<MacosJob | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'prepare' | 'start' | 'msrs' | null>(null);
  const r = macosRelease(release)!;
  // How this release's preset shares a folder (presets.list), to say how macOS mounts it.
  const shareMethod = presets.find((p) => p.family === 'macos' && p.version === release)?.defaults.shareMethod;

  useEffect(() => {
    let live = true;
    setFindings(null);
    client.call('macos.preflight', { release }).then(
      (f) => live && (setFindings(f), setPreflightError(null)),
      (e: unknown) => live && setPreflightError(e),
    );
    return () => {
      live = false;
    };
  }, [client, release]);

  // A preparation already running (this window was reloaded, or opened mid-way) is picked up.
  useEffect(() => {
    void client.call('macos.jobs', {}).then((jobs) => {
      const running = jobs.find((j) => j.state === 'running');
      if (running) {
        setJob(running);
        setName(running.name);
        setStep('prepare');
      }
    }, () => undefined);
  }, [client]);

  useEffect(() => client.on('macos.job', (j) => setJob((cur) => (cur && cur.name === j.name ? j : cur))), [client]);

  const kvm = findings?.find((f) => f.id === 'macos-kvm');
  const noKvm = kvm !== undefined && kvm.status !== 'ok';
  // Disk space is judged again against the size chosen two steps later, so it does not block here.
  const missing = (findings ?? []).filter((f) => f.status === 'missing' && f.id !== 'macos-disk');
  const hostOk = findings !== null && missing.length === 0 && (!noKvm || allowTcg);
  const errors = useMemo(() => fieldErrors(error), [error]);
  const idx = STEPS.findIndex((s) => s.id === step);

  const prepare = async () => {
    setBusy('prepare');
    setError(null);
    try {
      const [w, h] = resolution.split('x').map(Number);
      const started = await client.call('macos.prepare', {
        release,
        name: name.trim(),
        ...(diskSize.trim() ? { diskSize: diskSize.trim() } : {}),
        resolution: { width: w!, height: h! },
        ...(share.trim() ? { shares: [share.trim()] } : {}),
        allowTcg,
      });
      setJob(started);
      setStep('prepare');
    } catch (e) {
      setError(e);
      const f = fieldErrors(e);
      if (f.name || f.diskSize || f.resolution || Object.keys(f).some((k) => k.startsWith('shares'))) setStep('guest');
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

  const fixMsrs = async () => {
    setBusy('msrs');
    try {
      await client.call('macos.fixIgnoreMsrs', {});
      setFindings(await client.call('macos.preflight', { release }));
    } catch (e) {
      setPreflightError(e);
    } finally {
      setBusy(null);
    }
  };

  let body;
  if (step === 'host') {
    body = (
      <>
        <p>
          Before anything is downloaded: what this host needs for {r.name}, each finding with its fix. Commands that need root are for you to run;
          Guestbay runs nothing as root unless you click the button for it.
        </p>
        <PreflightFindings prefix="macos" findings={findings} error={preflightError} allowTcg={{ checked: allowTcg, onChange: setAllowTcg }} />
        {findings?.some((f) => f.id === 'macos-msrs' && f.status !== 'ok') && (
          <button type="button" className="btn" data-testid="macos-fix-msrs" disabled={busy !== null} onClick={() => void fixMsrs()}>
            {busy === 'msrs' ? 'Waiting for your password…' : 'Set ignore_msrs now (asks for your password)'}
          </button>
        )}
        <BlockedLine prefix="macos" blocked={missing.length > 0} />
      </>
    );
  } else if (step === 'release') {
    body = (
      <fieldset className="release-picker">
        <legend>Which macOS</legend>
        {MACOS_RELEASES.map((x) => (
          <label key={x.key} className={`release-choice${x.key === release ? ' selected' : ''}`} data-testid={`macos-release-${x.key}`}>
            <input type="radio" name="release" value={x.key} checked={x.key === release} onChange={() => setRelease(x.key)} />
            <span>
              <strong>{x.name}</strong> <span className="muted">{x.version}</span>
              <span className="muted"> · needs {x.needs.avx2 ? 'AVX2 and SSE4.2' : x.needs.sse42 ? 'SSE4.2' : 'no special CPU features'}</span>
              <span className="hint">{x.qemuNote}</span>
            </span>
          </label>
        ))}
        {findings && missing.length > 0 && (
          <p className="notice notice-warning" data-testid="macos-release-blocked">
            {r.name} cannot run here: {missing.map((f) => f.title).join('; ')}.
          </p>
        )}
      </fieldset>
    );
  } else if (step === 'guest') {
    body = (
      <>
        <div className={`field${errors.name ? ' has-error' : ''}`}>
          <label htmlFor="macos-name">Name</label>
          <input id="macos-name" data-testid="macos-field-name" value={name} onChange={(e) => setName(e.target.value)} />
          <p className="hint">The guest’s folder and its name on the command line.</p>
          <FieldError id="macos-name" message={errors.name} />
        </div>
        <div className={`field${errors.diskSize ? ' has-error' : ''}`}>
          <label htmlFor="macos-disk">Disk size</label>
          <input id="macos-disk" data-testid="macos-field-disk-size" value={diskSize} placeholder={`${r.recommendedDiskGiB}G`} onChange={(e) => setDiskSize(e.target.value)} />
          <p className="hint">
            {r.recommendedDiskGiB} GiB is recommended for {r.name}. The image grows as macOS writes: it takes only what is used.
          </p>
          <FieldError id="macos-disk" message={errors.diskSize} />
        </div>
        <div className={`field${errors.resolution ? ' has-error' : ''}`}>
          <label htmlFor="macos-resolution">Screen</label>
          <select id="macos-resolution" data-testid="macos-field-resolution" value={resolution} onChange={(e) => setResolution(e.target.value)}>
            {RESOLUTIONS.map((x) => (
              <option key={x} value={x}>
                {x.replace('x', ' × ')}
              </option>
            ))}
          </select>
          <p className="hint">OpenCore’s picker and macOS start at this size (VMware SVGA cannot change it from inside macOS).</p>
          <FieldError id="macos-resolution" message={errors.resolution} />
        </div>
        <PathField
          id="macos-share"
          label="Shared folder (optional)"
          mode="dir"
          value={share}
          onChange={setShare}
          error={errors['shares.0']}
          hint={shareMethod && SHARE_METHOD_MEANINGS[shareMethod]}
        />
      </>
    );
  } else {
    body = <PrepareProgress job={job} busy={busy} onStart={() => void startGuest()} onCancel={() => job && void client.call('macos.cancel', { name: job.name }).then(setJob, setError)} />;
  }

  const canNext = step === 'host' ? hostOk : step === 'release' ? missing.length === 0 : true;
  return (
    <GuidedSetupFrame
      prefix="macos"
      title="A first macOS guest"
      steps={STEPS}
      step={step}
      error={error}
      backDisabled={busy !== null}
      onBack={() => (idx === 0 ? navigate({ page: 'new' }) : setStep(STEPS[idx - 1]!.id))}
      forward={
        step === 'prepare'
          ? null
          : (step === 'guest' ? (
                <button type="button" className="btn btn-primary" data-testid="macos-prepare" disabled={busy !== null} onClick={() => void prepare()}>
                  {busy === 'prepare' ? 'Checking…' : 'Download and create'}
                </button>
              ) : (
                <button type="button" className="btn btn-primary" data-testid="macos-next" disabled={!canNext} onClick={() => setStep(STEPS[idx + 1]!.id)}>
                  Next
                </button>
              ))
      }
    >
      {body}
    </GuidedSetupFrame>
  );
}

function PrepareProgress({ job, busy, onStart, onCancel }: { job: MacosJob | null; busy: string | null; onStart(): void; onCancel(): void }) {
  if (!job) return <p className="muted">Starting…</p>;
  return (
    <div data-testid="macos-progress" data-state={job.state}>
      <JobSteps prefix="macos" steps={MACOS_PREPARE_STEPS} job={job} downloadLabel="Recovery download" cancelLabel="Cancel (the verified part of the download is kept)" onCancel={onCancel}></JobSteps>
      {job.state === 'failed' && (
        <div className="notice notice-error" data-testid="macos-failed">
          <strong>It stopped.</strong> <pre className="error-text">{job.error}</pre>
          <p>Nothing was created; what was downloaded and verified is kept, so trying again resumes it.</p>
        </div>
      )}
      {job.state === 'cancelled' && <p className="notice">{job.message}</p>}
      {job.state === 'done' && (
        <div className="notice" data-testid="macos-ready">
          <p>
            <strong>“{job.name}” is ready.</strong> Start it: a panel beside the guest walks you through the installer, step by step.
          </p>
          <button type="button" className="btn btn-primary" data-testid="macos-start" disabled={busy !== null} onClick={onStart}>
            {busy === 'start' ? 'Starting…' : 'Start and open the guide'}
          </button>
        </div>
      )}
    </div>
  );
}
