// What this host can do: each finding with its fix, copyable commands marked when they need root.
import type { Finding } from '../../shared/host-caps';
import { CopyButton } from '../components/CopyButton';
import { ErrorNotice } from '../components/ErrorNotice';
import { GuestbayFolderSettings } from '../components/GuestbayFolderSettings';
import { useEffect, useState, type ReactNode } from 'react';
import { useApp, useClient } from '../store';

const STATUS_LABEL: Record<Finding['status'], string> = { ok: 'OK', warning: 'Warning', missing: 'Missing' };
/** Missing first, then warnings, then what is fine. */
export const FINDING_ORDER: Record<Finding['status'], number> = { missing: 0, warning: 1, ok: 2 };

/** One finding with its fix; `prefix` makes its test ids (the macOS setup lists its own). */
/** `children`: what the finding asks of the user right there (a guided setup's "prepare it anyway" tick). */
export function FindingItem({ f, prefix = 'host-finding', children }: { f: Finding; prefix?: string; children?: ReactNode }) {
  return (
    <li className={`finding finding-${f.status}`} data-testid={`${prefix}-${f.id}`} data-status={f.status}>
      <div className="finding-head">
        <span className={`badge badge-${f.status}`}>{STATUS_LABEL[f.status]}</span>
        <strong>{f.title}</strong>
      </div>
      <p>{f.detail}</p>
      {f.fix && (
        <div className="fix">
          <p>{f.fix.text}</p>
          {f.fix.command && (
            <div className="fix-command">
              <pre className="command">{f.fix.command}</pre>
              <div className="fix-actions">
                {f.fix.needsRoot && (
                  <span className="tag tag-root" data-testid={`${prefix}-${f.id}-root`} title="Run it in a terminal with sudo; Guestbay never asks for your password">
                    needs root
                  </span>
                )}
                <CopyButton text={f.fix.command} label="Copy command" what={`the one that fixes: ${f.title}`} testId={`${prefix}-${f.id}-copy`} />
              </div>
            </div>
          )}
        </div>
      )}
      {children}
    </li>
  );
}

/** "Start with the session, in the tray": only the desktop app can set it (it knows its command). */
function AutostartToggle() {
  const client = useClient();
  const [state, setState] = useState<{ available: boolean; enabled: boolean } | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    void client.call('settings.autostart.get', {}).then(setState, setError);
  }, [client]);
  if (error !== undefined) return <ErrorNotice error={error} title="The startup setting could not be read" />;
  if (!state?.available) return null;
  return (
    <label className="setting" data-testid="setting-autostart">
      <input
        type="checkbox"
        checked={state.enabled}
        onChange={(e) => void client.call('settings.autostart.set', { enabled: e.target.checked }).then(setState, setError)}
      />{' '}
      Start Guestbay when I log in, in the tray (guests are not started)
    </label>
  );
}

export function HostPage() {
  const host = useApp((s) => s.host);
  const error = useApp((s) => s.hostError);
  const loading = useApp((s) => s.hostLoading);
  const loadHost = useApp((s) => s.loadHost);
  const navigate = useApp((s) => s.navigate);
  const findings = [...(host?.findings ?? [])].sort((a, b) => FINDING_ORDER[a.status] - FINDING_ORDER[b.status]);
  return (
    <section className="page" aria-labelledby="host-title">
      <header className="page-head">
        <h1 id="host-title">This host</h1>
        <button type="button" className="btn" data-testid="host-refresh" disabled={loading} onClick={() => void loadHost(true)}>
          {loading ? 'Checking…' : 'Check again'}
        </button>
      </header>
      <AutostartToggle />
      <p className="host-links">
        <a href="#/host/iommu" data-testid="host-iommu-link" onClick={(e) => (e.preventDefault(), navigate({ page: 'iommu' }))}>
          Device passthrough →
        </a>{' '}
        <span className="muted">which graphics cards and USB controllers can be given to a guest, and how to turn the IOMMU on</span>
      </p>
      {error !== undefined && <ErrorNotice error={error} title="The host could not be checked" />}
      {host && (
        <dl className="summary" data-testid="host-summary">
          <dt>System</dt>
          <dd>{host.distro.name}</dd>
          <dt>CPU</dt>
          <dd>
            {host.cpu.model} ({host.cpu.threads} threads)
          </dd>
          <dt>Memory</dt>
          <dd>
            {(host.memory.totalMiB / 1024).toFixed(1)} GiB, {(host.memory.availableMiB / 1024).toFixed(1)} GiB free
          </dd>
          <dt>Acceleration</dt>
          <dd>{host.accel === 'kvm' ? 'KVM: guests run at nearly native speed' : `software emulation (slow): ${host.kvm.reason}`}</dd>
          <dt>QEMU</dt>
          <dd>{host.qemu ? `${host.qemu.version} (${host.qemu.binary})` : 'not found'}</dd>
        </dl>
      )}
      {!host && loading && <p className="muted">Checking this host…</p>}
      <ul className="findings">
        {findings.map((f) => (
          <FindingItem key={f.id} f={f} />
        ))}
      </ul>
      <GuestbayFolderSettings />
    </section>
  );
}
