// The host step of a guided setup (macOS, Windows): the preflight's findings, most pressing first,
// and — without KVM — the warning with its "prepare it anyway" tick, and the line saying what
// blocks the next step. Test ids: `<prefix>-preflight`, `<prefix>-finding-<id>`,
// `<prefix>-tcg-warning`, `<prefix>-allow-tcg`, `<prefix>-blocked`.
import type { Finding } from '../../../shared/host-caps';
import { FINDING_ORDER, FindingItem } from '../../pages/Host';
import { ErrorNotice } from '../ErrorNotice';

export function PreflightFindings({ prefix, findings, error }: { prefix: 'macos' | 'windows'; findings: Finding[] | null; error: unknown }) {
  return (
    <>
      {error !== null && <ErrorNotice error={error} title="The host could not be checked" />}
      {findings === null && error === null && <p className="muted">Checking…</p>}
      {findings && (
        <ul className="findings" data-testid={`${prefix}-preflight`}>
          {[...findings].sort((a, b) => FINDING_ORDER[a.status] - FINDING_ORDER[b.status]).map((f) => (
            <FindingItem key={f.id} f={f} prefix={`${prefix}-finding`} />
          ))}
        </ul>
      )}
    </>
  );
}

/** `kvm`: the preflight's KVM finding, shown with the tick when it is not ok. */
export function TcgGate({ prefix, kvm, allowTcg, onAllowTcg, blocked }: { prefix: 'macos' | 'windows'; kvm: Finding | undefined; allowTcg: boolean; onAllowTcg(v: boolean): void; blocked: boolean }) {
  return (
    <>
      {kvm !== undefined && kvm.status !== 'ok' && (
        <div className="notice notice-warning" data-testid={`${prefix}-tcg-warning`}>
          <strong>{kvm.title}.</strong> {kvm.detail}
          <label className="ack">
            <input type="checkbox" data-testid={`${prefix}-allow-tcg`} checked={allowTcg} onChange={(e) => onAllowTcg(e.target.checked)} /> I understand: prepare it anyway,
            to try things out
          </label>
        </div>
      )}
      {blocked && (
        <p className="notice notice-warning" data-testid={`${prefix}-blocked`}>
          Fix what is missing first; then this page checks again when you come back to it.
        </p>
      )}
    </>
  );
}
