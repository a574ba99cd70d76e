// A guest's CPU architecture where it is not the host's own (an ARM or RISC-V guest on a PC, a
// PC guest on an ARM host): a small badge, and why it runs slowly (os/arch-table.ts's words, the
// wizard's too). A guest of the host's own architecture shows nothing: that is the normal case.
import { archWhy, runsNatively } from '../../shared/os/arch-table';
import { ARCH_LABELS } from '../../shared/arch-labels';
import type { GuestArch } from '../../shared/vm-choices';
import { useApp } from '../store';

/** The host's architecture once probed; a PC until then (what nearly every Guestbay host is). */
function useHostArch(): GuestArch | null {
  return useApp((s) => (s.host ? s.host.hostArch : 'x86_64'));
}

/** The badge, its `title` saying why an emulated guest is slow; null for the host's own architecture. */
export function ArchBadge({ arch, testId }: { arch: GuestArch; testId?: string }) {
  const host = useHostArch();
  if (runsNatively(arch, host)) return null;
  return (
    <span className="badge badge-arch" data-testid={testId} title={archWhy(arch, host)}>
      {ARCH_LABELS[arch]}
    </span>
  );
}

/** The same "why" as a line of text (the guest page says it outright); null for the host's own architecture. */
export function ArchNote({ arch, testId }: { arch: GuestArch; testId?: string }) {
  const host = useHostArch();
  if (runsNatively(arch, host)) return null;
  return (
    <p className="hint arch-note" data-testid={testId}>
      {archWhy(arch, host)}
    </p>
  );
}
