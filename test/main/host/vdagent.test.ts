import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVdagentMigrates } from '../../../src/main/qemu/probe/vdagent';

const fixture = (v: string) => readFileSync(join(__dirname, '../../fixtures/host/qemu', v, 'vdagent-migrate.jsonl'), 'utf8');

describe('the vdagent migration probe', () => {
  it('reads the blocker QEMU 7.2 and 10.0 report, and a QEMU without one', () => {
    expect(parseVdagentMigrates(fixture('7.2'))).toBe(false);
    expect(parseVdagentMigrates(fixture('10.0'))).toBe(false);
    expect(parseVdagentMigrates('{"return": {}}\n{"return": {}}\n{"return": {}}\n')).toBe(true);
    expect(parseVdagentMigrates('{"return": {}}\n{"return": {"blocked-reasons": ["a virtiofs device"]}}\n')).toBe(true);
    expect(parseVdagentMigrates('{"return": {}}\n{"retu')).toBeNull();
  });
});
