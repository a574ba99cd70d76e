// A guest's image files: its disks (resolved against its folder) and its UEFI variable store(s).
import { readdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { VmConfig } from '../../shared/vm-config';
import type { Store } from '../vm/store';
import { DiskRuleError } from './context';

export interface GuestImage {
  kind: 'disk' | 'vars';
  /** The disk's id (`disks[].id`), or the variable store's file name. */
  id: string;
  path: string;
  format: 'qcow2' | 'raw';
  readOnly: boolean;
  /** Index in `config.disks` (disks only). */
  index?: number;
}

export function resolveIn(dir: string, p: string): string {
  return isAbsolute(p) ? p : join(dir, p);
}

export function guestDisks(store: Store, config: VmConfig): GuestImage[] {
  const { dir } = store.dirs(config.name);
  return config.disks.map((d, index) => ({ kind: 'disk' as const, id: d.id, path: resolveIn(dir, d.path), format: d.format, readOnly: d.readOnly, index }));
}

/** The per-guest UEFI variable stores the launch plan made (`efivars-*.qcow2`, plan/firmware.ts). */
export async function guestVars(store: Store, name: string): Promise<GuestImage[]> {
  const { dir } = store.dirs(name);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => /^efivars-.+\.qcow2$/.test(f)).sort();
  return files.map((f) => ({ kind: 'vars' as const, id: f, path: join(dir, f), format: 'qcow2' as const, readOnly: false }));
}

export async function guestImages(store: Store, config: VmConfig): Promise<GuestImage[]> {
  return [...guestDisks(store, config), ...(await guestVars(store, config.name))];
}

/** One disk by id, or the only (first) one when none is named. */
export function pickDisk(store: Store, config: VmConfig, id?: string): GuestImage {
  const disks = guestDisks(store, config);
  if (!disks.length) throw new DiskRuleError(`"${config.name}" has no disks`);
  if (id === undefined) return disks[0]!;
  const d = disks.find((x) => x.id === id);
  if (!d) throw new DiskRuleError(`"${config.name}" has no disk "${id}" (its disks: ${disks.map((x) => x.id).join(', ')})`);
  return d;
}
