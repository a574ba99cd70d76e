// Golden launch plans: every preset on every host kind and QEMU generation. A change to the
// plan shows up here as a diff to review. Regenerate with UPDATE_GOLDEN=1.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPreset, PRESETS } from '../../../src/shared/presets';
import { buildLaunchPlan, type LaunchPlan } from '../../../src/main/qemu/plan';
import { shellCommand } from '../../../src/main/qemu/shell-quote';
import { HOST_KINDS, QEMU_GENERATIONS, hostFixture } from '../../fixtures/caps/hosts';

const GOLDEN = join(__dirname, '../../golden/plans');
const ctx = (name: string) => ({
  vmDir: `/home/user/.local/share/guestbay/vms/${name}`,
  runtimeDir: `/run/user/1000/guestbay/${name}`,
  logDir: `/home/user/.local/share/guestbay/vms/${name}/logs`,
});

function presetInput(id: string) {
  return {
    name: id,
    host: { threads: 16, memoryMiB: 32768 },
    iso: id.startsWith('macos') ? undefined : '/home/user/isos/install,1.iso',
    driversIso: id === 'windows-11' ? '/home/user/isos/virtio-win.iso' : undefined,
    shares: ['/home/user/Shared'],
  };
}

export function render(plan: LaunchPlan): string {
  const out = [`accel: ${plan.accel}`, `savable: ${plan.savable.ok ? 'yes' : `no — ${plan.savable.reason}`}`, ''];
  for (const p of plan.prepare) out.push(`prepare ${p.kind}: ${'to' in p ? `${p.from} → ${p.to}` : p.path}`);
  for (const s of plan.sidecars) out.push(`sidecar ${s.id}: ${shellCommand([s.binary, ...s.args], { wrap: false })}`);
  for (const w of plan.warnings) out.push(`warning ${w.id}: ${w.message}`);
  out.push('', shellCommand([plan.binary, ...plan.args]), '');
  return out.join('\n');
}

describe.each(QEMU_GENERATIONS)('launch plans on %s', (gen) => {
  describe.each(HOST_KINDS)('%s host', (kind) => {
    it.each(PRESETS.map((p) => p.id))('%s', (id) => {
      const { config } = buildPreset(id, presetInput(id));
      const text = render(buildLaunchPlan(config, hostFixture(gen, kind), ctx(id)));
      const file = join(GOLDEN, gen, kind, `${id}.txt`);
      if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
        mkdirSync(join(GOLDEN, gen, kind), { recursive: true });
        writeFileSync(file, text);
        if (!process.env.UPDATE_GOLDEN && process.env.CI) throw new Error(`golden file ${file} was missing`);
      }
      expect(text).toBe(readFileSync(file, 'utf8'));
    });
  });
});
