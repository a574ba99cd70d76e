// One guest, as a manager: its actions always in the header, then tabs: its screen, every
// setting (changed live where QEMU can, otherwise at the next start, with the command diff), the
// serial console, the logs and the exact command. The page follows changes made anywhere (other
// tabs, the CLI) through the store's `guests.changed` and `guest.state`.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CallOutput, EditResult, GuestStateName, PendingChanges } from '../../shared/contract';
import { isLive, verdict } from '../../shared/guest-state';
import type { VmConfig } from '../../shared/vm-config';
import { CopyButton } from '../components/CopyButton';
import { ErrorNotice } from '../components/ErrorNotice';
import { GuestAgentLine } from '../components/GuestAgentLine';
import { GuestProblems } from '../components/GuestProblems';
import { GuestThumb } from '../components/GuestThumb';
import { MacosCompanion } from '../components/MacosCompanion';
import { ANSWER_DRIVE, WindowsCompanion } from '../components/WindowsCompanion';
import { OsIcon } from '../components/Icons';
import { ProgressBar } from '../components/ProgressBar';
import { SerialConsole } from '../components/SerialConsole';
import { SharedFolderStatus } from '../components/SharedFolderStatus';
import { StateBadge } from '../components/StateBadge';
import { DisksSection } from '../components/disks/DisksSection';
import { DisplayView } from '../display/DisplayView';
import { GuestEditContext, type GuestEdit } from '../guest/edit-context';
import { DamagedGuest } from '../guest/DamagedGuest';
import { GuestTabs } from '../guest/GuestTabs';
import { GuestToolbar } from '../guest/GuestToolbar';
import { LookingGlassButton } from '../guest/LookingGlassButton';
import { isSection, SettingsTab } from '../guest/SettingsTab';
import { shownName, systemName } from '../guest-words';
import { ArchBadge, ArchNote } from '../components/ArchBadge';
import type { GuestTab } from '../router';
import { useApp, useClient } from '../store';

type Plan = CallOutput<'guests.cmdline'>;
type Logs = CallOutput<'guests.logs'>;

function DisplayTab({ name, title, config, state }: { name: string; title: string; config: VmConfig; state: string }) {
  const st = state as GuestStateName;
  // A macOS guest whose recovery disk is still attached is being installed: the companion beside the screen.
  const installingMac = config.os.family === 'macos' && config.media.some((m) => m.role === 'recovery');
  // A Windows guest whose answer disk is still attached is being installed (or was, and still holds the password).
  const answer = config.os.family === 'windows' ? config.media.find((m) => m.id === ANSWER_DRIVE) : undefined;
  const ownWindowGl = config.display.viewer === 'window' && config.display.gl;
  return (
    <div className={`display-tab${installingMac || answer ? ' with-companion' : ''}`}>
      {config.display.device === 'none' ? (
        <div className="panel no-screen" data-testid="display-none">
          <p>This guest has no graphics card: it is reached through its serial console (the Console tab).</p>
        </div>
      ) : ownWindowGl ? (
        <div className="panel no-screen" data-testid="display-window">
          <GuestThumb name={name} state={st} title={title} family={config.os.family} />
          <p>The screen is in QEMU’s own window, with OpenGL (QEMU’s VNC cannot show an OpenGL screen here). Change it under Settings, Display.</p>
        </div>
      ) : (
        <DisplayView name={name} title={title} state={st} />
      )}
      {installingMac && <MacosCompanion name={name} state={st} onFinished={() => undefined} />}
      {answer && <WindowsCompanion name={name} state={st} answerPath={answer.path ?? 'Autounattend.img'} />}
    </div>
  );
}

function ConsoleTab({ name, running }: { name: string; running: boolean }) {
  const [open, setOpen] = useState(true);
  return (
    <section className="panel" aria-labelledby="serial-title">
      <header className="panel-head">
        <h2 id="serial-title">Serial console</h2>
        {running && (
          <button type="button" className="btn btn-small" data-testid="serial-toggle" onClick={() => setOpen((v) => !v)}>
            {open ? 'Close console' : 'Open console'}
          </button>
        )}
      </header>
      {!running && <p className="muted">Available while the guest runs.</p>}
      {running && open && <SerialConsole name={name} />}
    </section>
  );
}

function LogsTab({ name, state }: { name: string; state: string }) {
  const client = useClient();
  const [logs, setLogs] = useState<Logs | null>(null);
  const load = useCallback(() => {
    client.call('guests.logs', { name, lines: 200 }).then(setLogs, () => setLogs([]));
  }, [client, name]);
  useEffect(() => load(), [load, state]);
  return (
    <section className="panel" aria-labelledby="logs-title">
      <header className="panel-head">
        <h2 id="logs-title">Logs</h2>
        <button type="button" className="btn btn-small" data-testid="logs-refresh" onClick={load}>
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
  );
}

function CommandTab({ name, revision }: { name: string; revision: string }) {
  const client = useClient();
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    client.call('guests.cmdline', { name }).then(
      (p) => live && (setPlan(p), setError(null)),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [client, name, revision]);
  return (
    <section className="panel" aria-labelledby="cmd-title">
      <header className="panel-head">
        <h2 id="cmd-title">The exact command</h2>
        {plan && <CopyButton text={plan.paste} what="the whole start, to paste into a terminal" testId="guest-command-copy" />}
      </header>
      <p className="hint">What Guestbay runs at the next start. Copy gives the whole start (its folders, helper processes and QEMU) ready to paste into a terminal; guestbay cmdline prints the same.</p>
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
      {error !== null && <ErrorNotice error={error} title="This host cannot build the command yet" />}
    </section>
  );
}

/** "1 core · 384 MiB" as a GiB or MiB figure. */
const memoryText = (mib: number) => (mib >= 1024 ? `${Math.round((mib / 1024) * 10) / 10} GiB` : `${mib} MiB`);
const coresText = (n: number) => `${n} ${n === 1 ? 'core' : 'cores'}`;

/**
 * Cores and memory as the guest has them: while it runs, what it was started with (its run
 * record), each saved value it gets only at its next start marked beside it.
 */
function Resources({ config, runs }: { config: VmConfig; runs?: { cores: number; memoryMiB: number } }) {
  const cores = runs?.cores ?? config.cpu.cores;
  const memory = runs?.memoryMiB ?? config.memoryMiB;
  const next = [cores !== config.cpu.cores ? coresText(config.cpu.cores) : null, memory !== config.memoryMiB ? memoryText(config.memoryMiB) : null].filter((x): x is string => x !== null);
  return (
    <span data-testid="guest-resources">
      {coresText(cores)} · {memoryText(memory)}
      {next.length > 0 && (
        <span className="pending-mark" data-testid="guest-resources-next">
          {' '}
          ({next.join(' · ')} at next start)
        </span>
      )}
    </span>
  );
}

export function GuestPage({ name, tab = 'display', section }: { name: string; tab?: GuestTab; section?: string }) {
  const client = useClient();
  const navigate = useApp((s) => s.navigate);
  const summary = useApp((s) => s.guests.find((g) => g.name === name));
  const listed = useApp((s) => s.guestsLoaded);
  const [doc, setDoc] = useState<{ config: VmConfig; revision: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<PendingChanges | null>(null);
  const seen = useRef(false);
  const status = summary?.status;
  const state = status?.state ?? 'stopped';
  const live = isLive(state);

  const read = useCallback(async () => {
    try {
      const r = await client.call('guests.get', { name });
      setDoc({ config: r.config, revision: r.revision });
      setError(null);
      return { config: r.config, revision: r.revision };
    } catch (e) {
      setError(e);
      return null;
    }
  }, [client, name]);
  useEffect(() => {
    void read();
  }, [read]);

  // Changed elsewhere (another tab, the CLI): the store has the new config from `guests.changed`.
  useEffect(() => {
    if (summary?.config && summary.revision && summary.revision !== doc?.revision) setDoc({ config: summary.config, revision: summary.revision });
    if (summary) seen.current = true;
  }, [summary, doc?.revision]);

  // What waits for the next start: asked again whenever the settings or the run change.
  useEffect(() => {
    if (!live) {
      setPending(null);
      return;
    }
    let alive = true;
    client.call('guests.pending', { name }).then(
      (p) => alive && setPending(p),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, [client, name, live, doc?.revision, status?.pid]);

  const took = useCallback((r: EditResult) => {
    setDoc({ config: r.config, revision: r.revision });
    setPending(r.pending);
  }, []);

  const edit: GuestEdit | null = useMemo(() => {
    if (!doc) return null;
    const v = verdict({ name, title: doc.config.title, state }, 'editSettings');
    return { name, config: doc.config, revision: doc.revision, state, canEdit: v, live, pending, took, reload: read };
  }, [doc, name, state, live, pending, took, read]);

  // Removed while open (another tab, the CLI).
  if (listed && !summary && seen.current) {
    return (
      <section className="page" data-testid={`guest-page-${name}`}>
        <h1>{name}</h1>
        <p className="notice" data-testid="guest-gone" role="status">
          This guest no longer exists: it was deleted or renamed elsewhere.{' '}
          <a href="#/" onClick={(e) => (e.preventDefault(), navigate({ page: 'library' }))}>
            Back to the library
          </a>
        </p>
      </section>
    );
  }
  if (summary && !summary.config && summary.error) return <DamagedGuest name={name} error={summary.error} />;
  if (!doc || !edit) {
    return (
      <section className="page" data-testid={`guest-page-${name}`}>
        <h1>{name}</h1>
        {error !== null ? <ErrorNotice error={error} title="This guest could not be opened" /> : <p className="muted">Loading…</p>}
      </section>
    );
  }
  const { config } = doc;
  const title = shownName(name, config);
  const current: GuestTab = tab;
  const settingsSection = isSection(section) ? section : 'general';
  return (
    <GuestEditContext.Provider value={edit}>
      <section className="page page-wide guest-page" aria-labelledby="guest-title" data-testid={`guest-page-${name}`}>
        <header className="guest-head">
          <OsIcon family={config.os.family} size={36} />
          <div className="guest-name">
            <h1 id="guest-title">
              {title}
              <StateBadge state={state} testId={`guest-state-${name}`} status={status} />
            </h1>
            <p className="guest-sub">
              {title !== name && <code>{name}</code>}
              <span>{systemName(config.os)}</span>
              <ArchBadge arch={config.arch} testId="guest-arch" />
<Resources config={config} runs={live ? pending?.runs : undefined} />
              {status?.accel && <span title={status.accel === 'kvm' ? 'Running with KVM: at nearly the host’s speed.' : 'Software emulation: slow. See Host for how to enable KVM.'}>{status.accel === 'kvm' ? 'KVM' : 'emulated (slow)'}</span>}
              <GuestAgentLine name={name} running={state === 'running'} />
              {state === 'saved' && <span data-testid="guest-saved-state">Saved: Start continues where it was</span>}
              {pending && pending.changes.length > 0 && (
                <a
                  href={`#/guest/${encodeURIComponent(name)}/settings`}
                  className="pending-chip"
                  data-testid="pending-chip"
                  onClick={(e) => (e.preventDefault(), navigate({ page: 'guest', name, tab: 'settings', section: settingsSection }))}
                >
                  {pending.changes.length} {pending.changes.length === 1 ? 'change' : 'changes'} at next start
                </a>
              )}
            </p>
          </div>
          <GuestToolbar name={name} title={title} status={status} onRename={() => navigate({ page: 'guest', name, tab: 'settings', section: 'general' })} />
        </header>
        <LookingGlassButton name={name} state={state} enabled={Boolean(config.lookingGlass)} />
        {summary?.progress && <ProgressBar progress={summary.progress} testId={`guest-progress-${name}`} />}
        <ArchNote arch={config.arch} testId="guest-arch-why" />
        {status?.detail && <p className="hint guest-detail">{status.detail}</p>}
        <GuestProblems name={name} status={status} />
        <SharedFolderStatus name={name} running={state === 'running'} />
        <GuestTabs name={name} tab={current} />
        <div className="tab-panel" role="tabpanel" id={`panel-${current}`} aria-labelledby={`tab-${current}`}>
          {current === 'display' && <DisplayTab name={name} title={title} config={config} state={state} />}
          {current === 'settings' && <SettingsTab section={settingsSection} />}
          {current === 'disks' && <DisksSection name={name} state={state} />}
          {current === 'console' && <ConsoleTab name={name} running={live} />}
          {current === 'logs' && <LogsTab name={name} state={state} />}
          {current === 'command' && <CommandTab name={name} revision={doc.revision} />}
        </div>
      </section>
    </GuestEditContext.Provider>
  );
}
