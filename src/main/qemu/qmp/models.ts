// The shapes of QMP messages (QEMU's docs/interop/qmp-spec) and their checked parsing.
// Parsing is strict about what the client relies on and lenient about the rest, so a newer
// QEMU adding fields does not break us.

import { QmpProtocolError } from './errors';

export interface QemuVersion {
  major: number;
  minor: number;
  micro: number;
  /** Distribution build string, e.g. "Debian 1:7.2+dfsg-7+deb12u18". */
  package: string;
}

export interface QmpGreeting {
  version: QemuVersion;
  /** Capabilities the server offers (e.g. "oob"); none are enabled by this client. */
  capabilities: string[];
}

export interface QmpEvent {
  event: string;
  /** Always an object: events without data get `{}`. */
  data: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

export type QmpMessage =
  | { kind: 'greeting'; greeting: QmpGreeting }
  | { kind: 'return'; id: unknown; value: unknown }
  | { kind: 'error'; id: unknown; errorClass: string; desc: string }
  | { kind: 'event'; event: QmpEvent }
  | { kind: 'unknown'; raw: Record<string, unknown> };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function parseGreeting(qmp: unknown): QmpGreeting {
  if (!isObj(qmp) || !isObj(qmp.version) || !isObj(qmp.version.qemu)) {
    throw new QmpProtocolError(`malformed QMP greeting: ${JSON.stringify(qmp)}`);
  }
  const q = qmp.version.qemu;
  if (typeof q.major !== 'number' || typeof q.minor !== 'number') {
    throw new QmpProtocolError(`QMP greeting without a version: ${JSON.stringify(qmp)}`);
  }
  return {
    version: {
      major: q.major,
      minor: q.minor,
      micro: num(q.micro),
      package: typeof qmp.version.package === 'string' ? qmp.version.package : '',
    },
    capabilities: Array.isArray(qmp.capabilities)
      ? qmp.capabilities.filter((c): c is string => typeof c === 'string')
      : [],
  };
}

/** Sorts one decoded JSON value into the message kinds QMP defines. */
export function classifyMessage(msg: unknown): QmpMessage {
  if (!isObj(msg)) throw new QmpProtocolError(`QMP message is not an object: ${JSON.stringify(msg)}`);
  if ('QMP' in msg) return { kind: 'greeting', greeting: parseGreeting(msg.QMP) };
  if ('return' in msg) return { kind: 'return', id: msg.id, value: msg.return };
  if ('error' in msg) {
    const err = isObj(msg.error) ? msg.error : {};
    return {
      kind: 'error',
      id: msg.id,
      errorClass: typeof err.class === 'string' ? err.class : 'GenericError',
      desc: typeof err.desc === 'string' ? err.desc : JSON.stringify(msg.error),
    };
  }
  if (typeof msg.event === 'string') {
    const ts = isObj(msg.timestamp) ? msg.timestamp : {};
    return {
      kind: 'event',
      event: {
        event: msg.event,
        data: isObj(msg.data) ? msg.data : {},
        timestamp: { seconds: num(ts.seconds), microseconds: num(ts.microseconds) },
      },
    };
  }
  return { kind: 'unknown', raw: msg };
}
