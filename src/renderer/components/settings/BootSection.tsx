// Which devices the firmware tries, in order. Automatic: the boot loader, the disks, then the
// installers. Otherwise the listed devices only, in the order shown.
import type { VmConfig } from '../../../shared/vm-config';
import { useGuestEdit } from '../../guest/edit-context';
import { SectionFrame } from './SectionFrame';
import { useSection } from './use-section';
import { Mark } from '../Icons';

type Draft = { auto: boolean; order: string[] };

/** Every device the firmware could boot, with words for it. */
export function bootables(c: VmConfig): { id: string; label: string }[] {
  return [
    ...c.disks.map((d) => ({ id: `disk:${d.id}`, label: `Disk ${d.id} (${d.path.split('/').pop()})` })),
    ...c.media.map((m) => ({ id: `media:${m.id}`, label: `${m.as === 'cdrom' ? 'CD/DVD' : 'Drive'} ${m.id}${m.path ? ` (${m.path.split('/').pop()})` : ' (empty)'}` })),
    ...(c.network.mode !== 'none' ? [{ id: 'network', label: 'Network (PXE)' }] : []),
  ];
}

const tid = (id: string) => id.replace(':', '-');

export function BootSection() {
  const ctx = useGuestEdit();
  const s = useSection<Draft>({
    from: (c) => ({ auto: !c.bootOrder, order: c.bootOrder ?? bootables(c).filter((b) => !b.id.startsWith('media:') || c.media.some((m) => `media:${m.id}` === b.id && m.role !== 'drivers')).map((b) => b.id) }),
    into: (c, d) => ({ ...c, bootOrder: d.auto ? undefined : d.order }),
    check: (d) => (!d.auto && d.order.length === 0 ? { order: 'Tick at least one device to boot from, or go back to Automatic.' } : {}),
    fieldOf: (f) => (f.startsWith('bootOrder') ? 'order' : undefined),
  });
  const all = bootables(ctx.config);
  const { auto, order } = s.draft;
  const listed = [...order.map((id) => all.find((b) => b.id === id) ?? { id, label: id }), ...all.filter((b) => !order.includes(b.id))];
  const move = (id: string, by: number) => {
    const i = order.indexOf(id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= order.length) return;
    const next = order.slice();
    [next[i], next[j]] = [next[j]!, next[i]!];
    s.set({ order: next });
  };
  return (
    <SectionFrame id="boot" title="Boot order" applies="next-start" s={s} why="Automatic boots the installed disk first and an installer only when the disk has no system yet.">
      <label className="check">
        <input type="checkbox" data-testid="settings-boot-auto" checked={auto} onChange={(e) => s.set({ auto: e.target.checked })} />
        <span>
          <strong>Automatic</strong>
          <span className="hint">The boot loader, then the disks, then the installers (never a drivers disc).</span>
        </span>
      </label>
      {!auto && (
        <ol className="boot-list" aria-label="Boot order">
          {listed.map((b) => {
            const used = order.includes(b.id);
            const i = order.indexOf(b.id);
            return (
              <li key={b.id} className={used ? '' : 'muted'} data-testid={`boot-${tid(b.id)}`}>
                <label className="check-inline">
                  <input type="checkbox" data-testid={`boot-use-${tid(b.id)}`} checked={used} onChange={(e) => s.set({ order: e.target.checked ? [...order, b.id] : order.filter((x) => x !== b.id) })} />
                  {b.label}
                </label>
                {used && (
                  <span className="boot-move">
                    <button type="button" className="btn btn-small" data-testid={`boot-up-${tid(b.id)}`} aria-label={`Move ${b.label} up`} disabled={i === 0} onClick={() => move(b.id, -1)}>
                      <Mark kind="up" />
                    </button>
                    <button type="button" className="btn btn-small" data-testid={`boot-down-${tid(b.id)}`} aria-label={`Move ${b.label} down`} disabled={i === order.length - 1} onClick={() => move(b.id, 1)}>
                      <Mark kind="down" />
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {s.errors.order && <p className="field-error" data-testid="settings-boot-error">{s.errors.order}</p>}
    </SectionFrame>
  );
}
