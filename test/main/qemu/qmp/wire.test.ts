import { describe, expect, it } from 'vitest';
import { LineSplitter, decodeLine, encodeLine } from '../../../../src/main/qemu/qmp/wire';
import { QmpProtocolError } from '../../../../src/main/qemu/qmp/errors';

const b = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('LineSplitter', () => {
  it('joins a line split across chunks', () => {
    const s = new LineSplitter();
    expect(s.push(b('{"return"'))).toEqual([]);
    expect(s.push(b(': {}'))).toEqual([]);
    expect(s.push(b(', "id": 1}\r\n'))).toEqual(['{"return": {}, "id": 1}']);
    expect(s.bufferedBytes).toBe(0);
  });

  it('splits several lines in one chunk and keeps the tail for later', () => {
    const s = new LineSplitter();
    expect(s.push(b('{"a":1}\r\n{"b":2}\r\n{"c"'))).toEqual(['{"a":1}', '{"b":2}']);
    expect(s.bufferedBytes).toBe(4);
    expect(s.push(b(':3}\r\n'))).toEqual(['{"c":3}']);
  });

  it('feeds one byte at a time', () => {
    const s = new LineSplitter();
    const text = '{"event": "STOP"}\r\n{"event": "RESUME"}\r\n';
    const out: string[] = [];
    for (const byte of b(text)) out.push(...s.push(Buffer.from([byte])));
    expect(out).toEqual(['{"event": "STOP"}', '{"event": "RESUME"}']);
  });

  it('does not mangle a multi-byte character cut between chunks', () => {
    const s = new LineSplitter();
    const bytes = b('{"desc":"Gerät ✓"}\n');
    const cut = bytes.indexOf(0xe2) + 1; // inside the 3-byte check mark
    expect(s.push(bytes.subarray(0, cut))).toEqual([]);
    expect(s.push(bytes.subarray(cut))).toEqual(['{"desc":"Gerät ✓"}']);
  });

  it('skips blank lines and accepts bare LF', () => {
    const s = new LineSplitter();
    expect(s.push(b('\r\n\n{"x":1}\n  \n'))).toEqual(['{"x":1}']);
  });

  it('refuses a line longer than its limit', () => {
    const s = new LineSplitter(8);
    expect(() => s.push(b('0123456789'))).toThrow(QmpProtocolError);
    const t = new LineSplitter(8);
    t.push(b('01234'));
    expect(() => t.push(b('56789\n'))).toThrow(QmpProtocolError);
  });
});

describe('encodeLine / decodeLine', () => {
  it('round-trips one message per line', () => {
    const line = encodeLine({ execute: 'device_del', arguments: { id: 'a\nb' }, id: 3 });
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(decodeLine(line.trim())).toEqual({ execute: 'device_del', arguments: { id: 'a\nb' }, id: 3 });
  });

  it('reports non-JSON as a protocol error', () => {
    expect(() => decodeLine('{"return": ')).toThrow(QmpProtocolError);
  });
});
