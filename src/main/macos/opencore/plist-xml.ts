// The XML property list writer: Apple's PropertyList-1.0 DTD, the form OpenCore's parser
// (OcXmlLib) reads: <dict> with <key>s in order, <string>, <integer>, <true/>/<false/>, <data>
// as base64, <array>.

export type PlistValue = string | number | boolean | Uint8Array | PlistValue[] | PlistDict;
export interface PlistDict {
  [key: string]: PlistValue;
}

export function plistXml(root: PlistDict): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
  ];
  writeValue(root, 0, lines, '');
  lines.push('</plist>', '');
  return lines.join('\n');
}

function writeValue(v: PlistValue, depth: number, out: string[], path: string): void {
  const pad = '\t'.repeat(depth);
  if (typeof v === 'string') out.push(`${pad}<string>${escapeXml(v, path)}</string>`);
  else if (typeof v === 'boolean') out.push(`${pad}<${v}/>`);
  else if (typeof v === 'number') {
    // OpenCore has no <real> keys; a fraction here is a bug, not a value to round.
    if (!Number.isSafeInteger(v)) throw new Error(`plist ${path || 'value'}: ${v} is not an integer`);
    out.push(`${pad}<integer>${v}</integer>`);
  } else if (v instanceof Uint8Array) out.push(`${pad}<data>${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}</data>`);
  else if (Array.isArray(v)) {
    if (v.length === 0) out.push(`${pad}<array/>`);
    else {
      out.push(`${pad}<array>`);
      v.forEach((x, i) => writeValue(x, depth + 1, out, `${path}[${i}]`));
      out.push(`${pad}</array>`);
    }
  } else {
    const keys = Object.keys(v);
    if (keys.length === 0) out.push(`${pad}<dict/>`);
    else {
      out.push(`${pad}<dict>`);
      for (const k of keys) {
        out.push(`${pad}\t<key>${escapeXml(k, path)}</key>`);
        writeValue(v[k]!, depth + 1, out, path ? `${path}/${k}` : k);
      }
      out.push(`${pad}</dict>`);
    }
  }
}

function escapeXml(s: string, path: string): string {
  // XML 1.0 cannot carry most control characters at all, escaped or not.
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s)) {
    throw new Error(`plist ${path || 'value'}: a control character cannot be written in XML`);
  }
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
