// What is wrong with a guest while it runs (its QEMU does not answer, a helper daemon died),
// each with what to do: on the library card and on the guest page.
import type { GuestStatusDto } from '../../shared/contract';

export function GuestProblems({ name, status }: { name: string; status: GuestStatusDto | undefined }) {
  const problems = status?.problems ?? [];
  if (problems.length === 0) return null;
  return (
    <div className="problems" data-testid={`guest-problems-${name}`}>
      {problems.map((p) => (
        <div key={p.kind + p.message} className="notice notice-warning" role="alert" data-kind={p.kind}>
          <strong>{p.message}</strong>
          <p>What to do: {withCode(p.fix)}</p>
        </div>
      ))}
    </div>
  );
}

/** The commands a text quotes between backticks, shown as code. */
function withCode(text: string) {
  return text.split('`').map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part));
}

/** A second badge beside the state when something is wrong: the state alone would mislead. */
export function problemBadge(status: GuestStatusDto | undefined): { label: string; kind: string } | undefined {
  const problems = status?.problems ?? [];
  if (problems.some((p) => p.kind === 'not-answering')) return { label: 'Not answering', kind: 'not-answering' };
  if (problems.length) return { label: 'Degraded', kind: 'degraded' };
  return undefined;
}
