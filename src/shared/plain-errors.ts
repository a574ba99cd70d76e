// Field errors in plain words: a schema's own messages are sentences (capitalised, ending with a
// full stop), and zod's generic ones ("Invalid input: expected number, received string") are
// replaced by what the field wants. Settings a schema does not know (a typo in `guestbay edit`)
// are named instead of silently dropped. Pure.
import type { z } from 'zod';

export interface PlainFieldError {
  field: string;
  message: string;
}

/** What a field is called in a sentence, by the last part of its path. */
const FIELD_WORDS: Record<string, string> = {
  name: 'The name',
  title: 'The title',
  memoryMiB: 'Memory (in MiB)',
  cores: 'Cores',
  threads: 'Threads per core',
  model: 'The model',
  firmware: 'The firmware',
  machine: 'The machine type',
  accel: 'The accelerator',
  path: 'The path',
  hostPath: 'The folder',
  size: 'The size',
  bus: 'The bus',
  cache: 'The cache mode',
  format: 'The format',
  nic: 'The network card',
  mode: 'The network mode',
  mac: 'The MAC address',
  hostPort: 'The host port',
  guestPort: 'The guest port',
  hostAddress: 'The host address',
  protocol: 'The protocol',
  tag: 'The share tag',
  method: 'The share method',
  device: 'The device',
  backend: 'The backend',
  vendorId: 'The vendor id',
  productId: 'The product id',
  revision: 'The revision',
  schemaVersion: 'schemaVersion',
};

function subject(path: PropertyKey[]): string {
  const last = [...path].reverse().find((p) => typeof p === 'string') as string | undefined;
  if (last && FIELD_WORDS[last]) return FIELD_WORDS[last]!;
  return last ? `"${path.map(String).join('.')}"` : 'This value';
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  object: 'a group of settings ({ … })',
  array: 'a list ([ … ])',
};

/** zod's generic messages start so; the schema's own never do. */
const GENERIC = /^(Invalid|Too (big|small)|Unrecognized|Expected|Required)/;

/** A sentence: capital first letter, a full stop at the end. */
export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?)]$/.test(first) ? first : `${first}.`;
}

export function plainIssue(issue: z.core.$ZodIssue): PlainFieldError {
  const field = issue.path.map(String).join('.');
  if (!GENERIC.test(issue.message)) return { field, message: sentence(issue.message) };
  const who = subject(issue.path);
  let message: string;
  switch (issue.code) {
    case 'invalid_type':
      // zod reports the input only on request; its own message says "received undefined".
      message = /received undefined/.test(issue.message) ? `${who} is missing: give one.` : `${who} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}.`;
      break;
    case 'invalid_value':
      message = `${who} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`;
      break;
    case 'too_big':
      message = issue.origin === 'string' ? `${who} is at most ${issue.maximum} characters.` : issue.origin === 'array' ? `${who} holds at most ${issue.maximum} entries.` : `${who} is at most ${issue.maximum}.`;
      break;
    case 'too_small':
      message = issue.origin === 'string' ? (Number(issue.minimum) <= 1 ? `${who} cannot be empty.` : `${who} is at least ${issue.minimum} characters.`) : issue.origin === 'array' ? `${who} needs at least ${issue.minimum} entries.` : `${who} is at least ${issue.minimum}.`;
      break;
    case 'unrecognized_keys':
      message = `Unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}: remove ${issue.keys.length > 1 ? 'them' : 'it'}, or check the spelling.`;
      break;
    case 'invalid_format':
      message = `${who} is not in the right form (${issue.format}).`;
      break;
    default:
      message = `${who} is not valid here.`;
  }
  return { field, message };
}

/**
 * Keys in `input` that parsing dropped (zod strips what a schema does not declare): a misspelt
 * setting in a hand-edited config must be said, not silently lost.
 */
export function strayKeys(input: unknown, output: unknown, path: string[] = []): PlainFieldError[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((v, i) => strayKeys(v, output[i], [...path, String(i)]));
  }
  if (!input || typeof input !== 'object' || Array.isArray(input) || !output || typeof output !== 'object') return [];
  const out: PlainFieldError[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (!(k in output)) {
      if (v === undefined || v === null) continue;
      const field = [...path, k].join('.');
      out.push({ field, message: `Unknown setting "${field}": remove it, or check the spelling.` });
      continue;
    }
    out.push(...strayKeys(v, (output as Record<string, unknown>)[k], [...path, k]));
  }
  return out;
}
