// The command-line flags that point the macOS downloads somewhere other than Apple and GitHub
// (a mirror, or a test's local server), read and checked once for every command that takes
// them: `macos download`, `macos prepare` and `serve`.
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../output';
import type { MacosSources } from '../../macos/prepare';

export interface SourceFlags {
  'recovery-server'?: string;
  'recovery-key'?: string;
  'opencore-url'?: string;
  'opencore-sha256'?: string;
}

/** For parseArgs: the flags as options. */
export const SOURCE_OPTIONS = {
  'recovery-server': { type: 'string' },
  'recovery-key': { type: 'string' },
  'opencore-url': { type: 'string' },
  'opencore-sha256': { type: 'string' },
} as const;

export const SOURCE_USAGE = '[--recovery-server URL] [--recovery-key F.pem] [--opencore-url URL --opencore-sha256 HEX]';

export function checkServerUrl(flag: string, url: string): string {
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--${flag} is an http:// or https:// address, not "${url}"`);
  return url;
}

/** A PEM file holding an RSA public key (a mirror's own chunklist signing key). */
export async function readRecoveryKey(file: string, cwd: string): Promise<string> {
  const path = resolve(cwd, file);
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--recovery-key: could not read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`a ${key.asymmetricKeyType} key`);
  } catch (err) {
    throw new UsageError(`--recovery-key: ${path} is not an RSA public key in PEM form (${(err as Error).message})`);
  }
  return pem;
}

export async function sourcesFromFlags(v: SourceFlags, cwd: string): Promise<MacosSources> {
  const s: MacosSources = {};
  if (v['recovery-server'] !== undefined) s.recoveryServer = checkServerUrl('recovery-server', v['recovery-server']);
  if (v['recovery-key'] !== undefined) s.recoveryKeyPem = await readRecoveryKey(v['recovery-key'], cwd);
  const url = v['opencore-url'];
  const sha = v['opencore-sha256'];
  if ((url === undefined) !== (sha === undefined)) {
    // A boot loader from elsewhere is only ever used with the hash it must have.
    throw new UsageError('--opencore-url and --opencore-sha256 go together: another OpenCore release is used only with the SHA-256 its zip must have');
  }
  if (url !== undefined && sha !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(sha)) throw new UsageError(`--opencore-sha256 is 64 hex digits, not "${sha}"`);
    // The cache is named by version: a custom zip gets its own name, never the pinned one's.
    s.openCore = { url: checkServerUrl('opencore-url', url), pin: { version: `custom-${sha.slice(0, 12).toLowerCase()}`, sha256: sha.toLowerCase() } };
  }
  return s;
}
