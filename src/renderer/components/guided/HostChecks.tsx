// The host step of a guided setup (macOS, Windows): the preflight's findings, most pressing first;
// without KVM, that finding carries the "prepare it anyway" tick (said once, where it is read:
// the top of the list); and the line saying what blocks the next step. Test ids:
// `<prefix>-preflight`, `<prefix>-finding-<id>`, `<prefix>-tcg-warning` (the tick's row, in the
// KVM finding), `<prefix>-allow-tcg`, `<prefix>-blocked`.
import type { Finding } from '../../../shared/host-caps';
import { FINDING_ORDER, FindingItem } from '../../pages/Host';
import { ErrorNotice } from '../ErrorNotice';

/** `allowTcg`: the acknowledgement a missing KVM asks for, shown in the KVM finding when it is not ok. */
export function PreflightFindings({
  prefix,
  findings,
  error,
  allowTcg,
}: {
  prefix: 'macos' | 'windows';
  findings: Finding[] | null;
  error: unknown;
  allowTcg: { checked: boolean; onChange(v: boolean): void };
}) {
  return (
    <>
      {error !== null && <ErrorNotice error={error} title="The host could not be checked" />}
      {findings === null && error === null && <p className="muted">Checking…</p>}
      {findings && (
        <ul className="findings" data-testid={`${prefix}-preflight`}>
          {[...findings].sort((a, b) => FINDING_ORDER[a.status] - FINDING_ORDER[b.status]).map((f) => (
            <FindingItem key={f.id} f={f} prefix={`${prefix}-finding`}>
              {f.id === `${prefix}-kvm` && f.status !== 'ok' && (
                <label className="ack" data-testid={`${prefix}-tcg-warning`}>
                  <input type="checkbox" data-testid={`${prefix}-allow-tcg`} checked={allowTcg.checked} onChange={(e) => allowTcg.onChange(e.target.checked)} /> I
                  understand: prepare it anyway, to try things out
                </label>
              )}
            </FindingItem>
          ))}
        </ul>
      )}
    </>
  );
}

export function BlockedLine({ prefix, blocked }: { prefix: 'macos' | 'windows'; blocked: boolean }) {
  return blocked ? (
    <p className="notice notice-warning" data-testid={`${prefix}-blocked`}>
      Fix what is missing first; then this page checks again when you come back to it.
    </p>
  ) : null;
}
