// "Switch to B" from the tray, the window and the CLI must mean the same thing everywhere, so the
// decision lives here as one pure function: it reads configs and states the caller already has
// and returns the steps, which the supervisor then carries out (docs/decisions.md, "One switch
// policy").
// Keeping it free of I/O lets the tests pin every rule without a QEMU.
import type { HostCaps } from '../../shared/host-caps';
import { formatSize } from '../../shared/size';
import type { VmConfig } from '../../shared/vm-config';

export interface RunningGuest {
  config: VmConfig;
  state: 'running' | 'paused' | 'starting';
  savable: { ok: true } | { ok: false; reason: string };
}

export interface SwitchStep {
  guest: string;
  action: 'save' | 'shutdown';
  /** Plain words for the user, e.g. "holds the USB device 046d:c52b (Logitech receiver) that macOS needs". */
  because: string;
}

export interface SwitchDecision {
  evict: SwitchStep[];
  then: 'start' | 'restore' | 'resume' | 'nothing';
  summary: string;
  /**
   * The evicted guests are saved while the target starts or restores (issue 18): every eviction
   * is a save made only for memory (a held device must be let go first), and all of them and the
   * target fit in RAM at once, dipping into at most half the host's reserve while both run.
   */
  overlap: boolean;
}

export type TargetState = 'stopped' | 'saved' | 'running' | 'paused' | 'crashed';

export interface SwitchOptions {
  /** Memory kept for the host itself; default: the larger of 2 GiB and 10% of RAM. */
  reserveMiB?: number;
  /** HostCaps.iommu.groups: passing through one device of a group needs the whole group. */
  iommuGroups?: HostCaps['iommu']['groups'];
}

const MIN_RESERVE_MiB = 2048;

/** Beyond this many candidates, trying every set is too slow for a click; largest-first is close. */
const EXHAUSTIVE_LIMIT = 16;

/**
 * What switching to `target` takes. `host.memoryMiB` is the host's total RAM (HostCaps.memory.totalMiB).
 * `host.availableMiB` is deliberately not part of the rule: it is a snapshot that already counts
 * whatever pages the running guests have touched (QEMU allocates lazily), so it cannot say what
 * evicting a guest would free; budgeting configured sizes against total RAM gives the same answer
 * every time for the same set of guests.
 */
export function decideSwitch(
  target: VmConfig,
  targetState: TargetState,
  running: RunningGuest[],
  host: { memoryMiB: number; availableMiB: number },
  opts: SwitchOptions = {},
): SwitchDecision {
  const targetTitle = titleOf(target);
  // Already running: the caller only brings its display forward; evicting anything would be a
  // surprise since nothing new needs resources.
  if (targetState === 'running') {
    return { evict: [], then: 'nothing', summary: `${targetTitle} is already running`, overlap: false };
  }
  const then = targetState === 'paused' ? 'resume' : targetState === 'saved' ? 'restore' : 'start';

  // The target may appear in the caller's list (a paused target is a live QEMU); it never
  // competes with itself.
  const others = running.filter((g) => g.config.name !== target.name);

  const reasons = new Map<RunningGuest, string[]>();
  const forDevices = new Set<RunningGuest>();
  for (const g of others) {
    const r = deviceConflicts(target, g.config, opts.iommuGroups ?? []);
    if (r.length > 0) reasons.set(g, r), forDevices.add(g);
  }

  // Memory: what stays after the device evictions, plus the target, must fit in RAM minus the
  // host's share. Sizes are the configured ones because a guest may touch all of its memory at
  // any time; overcommitting ends with the OOM killer choosing a guest, not the user.
  const reserve = Math.max(0, opts.reserveMiB ?? Math.max(MIN_RESERVE_MiB, Math.ceil(host.memoryMiB * 0.1)));
  const budget = host.memoryMiB - reserve;
  const staying = others.filter((g) => !reasons.has(g));
  const need = target.memoryMiB + sum(staying) - budget;
  if (need > 0) {
    const context =
      `(${targetTitle} needs ${mib(target.memoryMiB)}; this host has ${mib(host.memoryMiB)} ` +
      `and keeps ${mib(reserve)} for itself)`;
    for (const g of chooseForMemory(staying, need)) {
      reasons.set(g, [`uses ${mib(g.config.memoryMiB)} of memory that ${targetTitle} needs ${context}`]);
    }
  }

  // Steps keep the caller's order so the same inputs always read the same way.
  const evict: SwitchStep[] = others
    .filter((g) => reasons.has(g))
    .map((g) => {
      const because = reasons.get(g)!.join('; ');
      // Saving keeps the user's open work; when QEMU can't migrate the guest (passed-through
      // devices have state it cannot capture) a clean ACPI shutdown is the only safe way out.
      return g.savable.ok
        ? { guest: g.config.name, action: 'save' as const, because }
        : { guest: g.config.name, action: 'shutdown' as const, because: `${because}; shut down because it can't be saved: ${g.savable.reason}` };
    });

  const overlap =
    evict.length > 0 &&
    then !== 'resume' &&
    evict.every((e) => e.action === 'save') &&
    !others.some((g) => forDevices.has(g)) &&
    target.memoryMiB + sum(others) <= host.memoryMiB - Math.ceil(reserve / 2);
  return { evict, then, summary: summarize(evict, others, then, targetTitle), overlap };
}

function titleOf(c: VmConfig): string {
  return c.title ?? c.name;
}

function sum(gs: RunningGuest[]): number {
  return gs.reduce((n, g) => n + g.config.memoryMiB, 0);
}

function mib(n: number): string {
  return formatSize(n * 1024 * 1024);
}

function labelled(id: string, label: string | undefined): string {
  return label ? `${id} (${label})` : id;
}

/** Why `guest` holds something the target needs: one sentence per device, none if no conflict. */
function deviceConflicts(target: VmConfig, guest: VmConfig, groups: HostCaps['iommu']['groups']): string[] {
  const t = titleOf(target);
  const out: string[] = [];

  // usb-host matches by vendor:product, so two guests naming the same pair race for the same
  // physical device; only one can claim it from the host.
  for (const d of guest.usb.hostDevices) {
    const want = target.usb.hostDevices.find((w) => w.vendorId === d.vendorId && w.productId === d.productId);
    if (want) out.push(`holds the USB device ${labelled(`${d.vendorId}:${d.productId}`, want.label ?? d.label)} that ${t} needs`);
  }

  // VFIO binds whole IOMMU groups: while any device of a group is in one guest, no other guest
  // can take another device of that group, even a different function of the same card.
  const groupOf = new Map<string, { id: number; description: string }>();
  for (const g of groups) {
    for (const d of g.devices) groupOf.set(d.address.toLowerCase(), { id: g.id, description: d.description });
  }
  const describe = (address: string, label: string | undefined) =>
    labelled(address, label ?? (groupOf.get(address)?.description || undefined));
  for (const d of guest.pciDevices) {
    const held = d.address.toLowerCase();
    const same = target.pciDevices.find((w) => w.address.toLowerCase() === held);
    if (same) {
      out.push(`holds the PCI device ${describe(held, same.label ?? d.label)} that ${t} needs`);
      continue;
    }
    const heldGroup = groupOf.get(held);
    if (!heldGroup) continue;
    const sibling = target.pciDevices.find((w) => groupOf.get(w.address.toLowerCase())?.id === heldGroup.id);
    if (sibling) {
      out.push(
        `holds the PCI device ${describe(held, d.label)}, which shares IOMMU group ${heldGroup.id} ` +
          `with ${describe(sibling.address.toLowerCase(), sibling.label)} that ${t} needs`,
      );
    }
  }
  return out;
}

/**
 * The guests to evict to free at least `need` MiB: the fewest possible (every eviction costs
 * the user a save or a shutdown), among those the set with the most paused guests (nobody is
 * looking at them), then the largest guests (most headroom left for the target). A minimal count
 * also means no chosen guest could be spared. If even all of them are not enough, all go:
 * each one still brings the target closer to fitting.
 */
function chooseForMemory(candidates: RunningGuest[], need: number): RunningGuest[] {
  if (sum(candidates) <= need) return candidates;
  const bySize = [...candidates].sort((a, b) => rankOne(a, b, candidates));

  // The k largest are the best any k guests can free, so they give the smallest k.
  let k = 0;
  for (let freed = 0; freed < need; k++) freed += bySize[k]!.config.memoryMiB;

  if (candidates.length > EXHAUSTIVE_LIMIT) return bySize.slice(0, k);

  let best: RunningGuest[] | null = null;
  for (const set of combinations(candidates, k)) {
    if (sum(set) < need) continue;
    if (!best || betterSet(set, best, candidates) < 0) best = set;
  }
  return best!;
}

/** Order for single guests: larger first, paused first on a tie, then the caller's order. */
function rankOne(a: RunningGuest, b: RunningGuest, order: RunningGuest[]): number {
  return (
    b.config.memoryMiB - a.config.memoryMiB ||
    paused(b) - paused(a) ||
    order.indexOf(a) - order.indexOf(b)
  );
}

function paused(g: RunningGuest): number {
  return g.state === 'paused' ? 1 : 0;
}

/** Negative when `a` is the better set of equal size. */
function betterSet(a: RunningGuest[], b: RunningGuest[], order: RunningGuest[]): number {
  const pa = a.reduce((n, g) => n + paused(g), 0);
  const pb = b.reduce((n, g) => n + paused(g), 0);
  if (pa !== pb) return pb - pa;
  const sa = [...a].sort((x, y) => rankOne(x, y, order));
  const sb = [...b].sort((x, y) => rankOne(x, y, order));
  for (let i = 0; i < sa.length; i++) {
    const d = rankOne(sa[i]!, sb[i]!, order);
    if (d !== 0) return d;
  }
  return 0;
}

function* combinations<T>(items: T[], k: number, start = 0): Generator<T[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - k; i++) {
    for (const rest of combinations(items, k - 1, i + 1)) yield [items[i]!, ...rest];
  }
}

function summarize(evict: SwitchStep[], others: RunningGuest[], then: 'start' | 'restore' | 'resume', target: string): string {
  const verb = { start: 'start', restore: 'restore', resume: 'resume' }[then];
  if (evict.length === 0) return `${capitalize(verb)} ${target}`;
  const title = (name: string) => {
    const g = others.find((o) => o.config.name === name);
    return g ? titleOf(g.config) : name;
  };
  const steps = evict.map((s) => `${s.action === 'save' ? 'save' : 'shut down'} ${title(s.guest)}`);
  const list = steps.length === 1 ? steps[0]! : `${steps.slice(0, -1).join(', ')} and ${steps[steps.length - 1]!}`;
  return `${capitalize(list)}, then ${verb} ${target}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
