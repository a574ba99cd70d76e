// The conversation with Apple's recovery service, as OpenCorePkg's Utilities/macrecovery/
// macrecovery.py has it (get_session, get_image_info, save_image): no documentation from Apple
// exists, so these are the facts that tool relies on.
import { randomBytes } from 'node:crypto';
import { RecoveryError, abortedError, describeNetworkError } from './errors';

/** macrecovery.py talks plain HTTP to this host; the chunklist signature is what makes it safe. */
export const DEFAULT_RECOVERY_SERVER = 'http://osrecovery.apple.com/';
/** The user agent a Mac's firmware sends; macrecovery.py sends the same on every request. */
export const RECOVERY_USER_AGENT = 'InternetRecovery/1.0';

/** What the POST names: board ID (bid), MLB (sn) and which release for the board (os). */
export interface RecoveryTarget {
  boardId: string;
  mlb: string;
  osType: 'default' | 'latest';
}

export interface RecoveryInfo {
  /** AP: Apple's product number, e.g. 041-88800. */
  product: string;
  imageUrl: string;
  imageHash: string;
  imageToken: string;
  chunklistUrl: string;
  chunklistHash: string;
  chunklistToken: string;
  /** Every KEY: value line of the answer. */
  fields: Record<string, string>;
}

// macrecovery.py INFO_REQURED, with words for each key so a missing one can be named.
const REQUIRED: readonly [key: string, what: string][] = [
  ['AP', "the recovery image's product number"],
  ['AU', "the image's address"],
  ['AH', "the image's hash"],
  ['AT', "the image's download token"],
  ['CU', "the chunklist's address"],
  ['CH', "the chunklist's hash"],
  ['CT', "the chunklist's download token"],
];

/** `count` random upper-case hex digits (macrecovery.py generate_id: cid 16, k and fg 64). */
export function randomHex(count: number): string {
  return randomBytes(Math.ceil(count / 2)).toString('hex').slice(0, count).toUpperCase();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * fetch with the failures turned into plain words. `what` names the server for the person
 * reading the message ("Apple's recovery service", "Apple's download server").
 */
export async function recoveryFetch(url: string, init: RequestInit, what: string, signal?: AbortSignal): Promise<Response> {
  if (signal?.aborted) throw abortedError();
  try {
    return await fetch(url, { ...init, signal: init.signal ?? signal ?? null });
  } catch (err) {
    if (signal?.aborted) throw abortedError();
    throw new RecoveryError('network', `Could not reach ${what} at ${hostOf(url)}: ${describeNetworkError(err)}.`, { cause: err });
  }
}

export function httpError(res: Response, what: string, doing: string): RecoveryError {
  const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  return new RecoveryError('http', `${what} answered with an error (${status}) ${doing}.`);
}

const SERVICE = "Apple's recovery service";

/** GET the server root; Apple hands out the session in a `session=…` cookie. */
export async function getSession(server: string = DEFAULT_RECOVERY_SERVER, signal?: AbortSignal): Promise<string> {
  const res = await recoveryFetch(
    new URL('/', server).href,
    { headers: { 'User-Agent': RECOVERY_USER_AGENT, Connection: 'close' } },
    SERVICE,
    signal,
  );
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw httpError(res, SERVICE, 'when starting a session');
  // macrecovery.py keeps only the `session=…` part of Set-Cookie (not Path, Domain, …).
  for (const line of res.headers.getSetCookie()) {
    for (const part of line.split(';')) {
      const p = part.trim();
      if (p.startsWith('session=')) return p;
    }
  }
  throw new RecoveryError('protocol', `${SERVICE} did not start a session (its answer had no session cookie).`);
}

/** The answer is `KEY: value` lines; anything else is ignored, as macrecovery.py does. */
export function parseRecoveryInfo(text: string): RecoveryInfo {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const at = line.indexOf(': ');
    if (at <= 0) continue;
    fields[line.slice(0, at).trim()] = line.slice(at + 2).trim();
  }
  const missing = REQUIRED.filter(([k]) => !fields[k]);
  if (missing.length > 0) {
    const words = missing.map(([k, what]) => `${what} (${k})`);
    const list = words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
    throw new RecoveryError('protocol', `${SERVICE} answered without ${list}.`);
  }
  const f = fields as Record<'AP' | 'AU' | 'AH' | 'AT' | 'CU' | 'CH' | 'CT', string>;
  return {
    product: f.AP,
    imageUrl: f.AU,
    imageHash: f.AH,
    imageToken: f.AT,
    chunklistUrl: f.CU,
    chunklistHash: f.CH,
    chunklistToken: f.CT,
    fields,
  };
}

/** POST /InstallationPayload/RecoveryImage: the body is `key=value` lines joined by `\n`. */
export async function requestRecoveryImage(
  server: string,
  session: string,
  target: RecoveryTarget,
  signal?: AbortSignal,
): Promise<RecoveryInfo> {
  const body = [
    `cid=${randomHex(16)}`,
    `sn=${target.mlb}`,
    `bid=${target.boardId}`,
    `k=${randomHex(64)}`,
    `fg=${randomHex(64)}`,
    `os=${target.osType}`,
  ].join('\n');
  const res = await recoveryFetch(
    new URL('/InstallationPayload/RecoveryImage', server).href,
    {
      method: 'POST',
      headers: {
        'User-Agent': RECOVERY_USER_AGENT,
        Connection: 'close',
        'Content-Type': 'text/plain',
        Cookie: session,
      },
      body,
    },
    SERVICE,
    signal,
  );
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    if (signal?.aborted) throw abortedError();
    throw new RecoveryError('network', `${SERVICE}'s answer was cut off: ${describeNetworkError(err)}.`, { cause: err });
  }
  if (!res.ok) throw httpError(res, SERVICE, `when asked for the ${target.boardId} recovery image`);
  return parseRecoveryInfo(text);
}

/** A fresh session and a fresh RecoveryImage answer: new URLs and new (unexpired) tokens. */
export async function lookUpRecovery(server: string, target: RecoveryTarget, signal?: AbortSignal): Promise<RecoveryInfo> {
  const session = await getSession(server, signal);
  return requestRecoveryImage(server, session, target, signal);
}
