// One start of a guest as a transaction. Its lock file (start.lock in the guest's runtime
// folder), created exclusively, keeps a second Guestbay process from starting the same guest,
// and is also the start's journal: the owner's identity, the folder this start made for its
// sockets, and every process it spawned, each written down the moment it exists. So whatever
// ends a start half-way — an error, Ctrl-C, SIGTERM, or a kill nobody can catch — what it
// spawned is found again and ended: by the start itself (undo), or by the next start, which
// takes over a lock whose owner is gone only after undoing its journal. Nothing is signalled
// unless its recorded identity still matches (process-info.ts).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from './atomic-file';
import { endOwned, identify, identityState, isAlive, isIdentity, type ProcessIdentity } from './process-info';
import { readBoundedText } from '../host/bounded-read';

export const LOCK = 'start.lock';

interface JournalData {
  owner: ProcessIdentity;
  /** The folder this start made for its sockets and pidfile (run-<id>). */
  runDir?: string;
  /** Every process this start spawned, in order. */
  spawned: { id: string; identity: ProcessIdentity }[];
}

export class StartLockedError extends Error {
  constructor(
    readonly vmName: string,
    readonly pid: number,
  ) {
    super(`"${vmName}" is already being started (by process ${pid})`);
    this.name = 'StartLockedError';
  }
}

/** A journal from the lock file; a lock from before journals held only the owner's pid. */
function parseJournal(text: string): JournalData | { legacyPid: number } | null {
  try {
    const v = JSON.parse(text) as Partial<JournalData> | number;
    if (typeof v === 'number') return { legacyPid: v };
    if (!v || !isIdentity(v.owner)) return null;
    const spawned = Array.isArray(v.spawned) ? v.spawned.filter((s) => s && typeof s.id === 'string' && isIdentity(s.identity)) : [];
    return { owner: v.owner, runDir: typeof v.runDir === 'string' ? v.runDir : undefined, spawned };
  } catch {
    return null;
  }
}

/** Ends what an abandoned start spawned (last first) and removes its socket folder. */
async function undoJournal(j: Pick<JournalData, 'runDir' | 'spawned'>, guestRuntimeDir: string): Promise<void> {
  for (const s of [...j.spawned].reverse()) await endOwned(s.identity, 1000);
  // Only a folder inside this guest's runtime folder: a journal is a file a process wrote, not an order.
  if (j.runDir && j.runDir.startsWith(`${guestRuntimeDir}/run-`) && !j.runDir.slice(guestRuntimeDir.length + 1).includes('/')) {
    await rm(j.runDir, { recursive: true, force: true });
  }
}

/** The pid of a live Guestbay process starting this guest right now, if any. */
export async function startInProgress(guestRuntimeDir: string): Promise<number | undefined> {
  const j = parseJournal(await readBoundedText(join(guestRuntimeDir, LOCK), 1 << 20).catch(() => ''));
  if (!j) return undefined;
  if ('legacyPid' in j) return isAlive(j.legacyPid) ? j.legacyPid : undefined;
  return identityState(j.owner) === 'same' ? j.owner.pid : undefined;
}

export class StartJournal {
  private undone = false;

  private constructor(
    private readonly file: string,
    private readonly guestRuntimeDir: string,
    private readonly data: JournalData,
  ) {}

  /**
   * Takes the guest's start lock. A lock held by a live Guestbay process is refused; one whose
   * owner has gone is taken over after what that start spawned has been ended.
   */
  static async begin(guestRuntimeDir: string, name: string): Promise<StartJournal> {
    const file = join(guestRuntimeDir, LOCK);
    const me = identify(process.pid);
    if (!me) throw new Error('cannot read this process\'s own identity from /proc');
    const data: JournalData = { owner: me, spawned: [] };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await writeFile(file, JSON.stringify(data), { flag: 'wx', mode: 0o600 });
        return new StartJournal(file, guestRuntimeDir, data);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const prev = parseJournal(await readBoundedText(file, 1 << 20).catch(() => ''));
      if (prev && 'legacyPid' in prev) {
        if (isAlive(prev.legacyPid)) throw new StartLockedError(name, prev.legacyPid);
      } else if (prev) {
        if (prev.owner.pid === process.pid || identityState(prev.owner) === 'same') throw new StartLockedError(name, prev.owner.pid);
        await undoJournal(prev, guestRuntimeDir);
      }
      await rm(file, { force: true });
    }
    throw new StartLockedError(name, 0);
  }

  get runDir(): string | undefined {
    return this.data.runDir;
  }

  async setRunDir(dir: string): Promise<void> {
    this.data.runDir = dir;
    await this.save();
  }

  /** Writes down a process this start spawned, before anything else happens. */
  async spawned(id: string, identity: ProcessIdentity): Promise<void> {
    this.data.spawned.push({ id, identity });
    await this.save();
  }

  /** Ends everything this start spawned and removes its socket folder. */
  async undo(): Promise<void> {
    if (this.undone) return;
    this.undone = true;
    await undoJournal(this.data, this.guestRuntimeDir);
  }

  /** The start is over (committed or undone): others may start the guest now. */
  async release(): Promise<void> {
    await rm(this.file, { force: true });
  }

  private async save(): Promise<void> {
    await writeJsonAtomic(this.file, this.data, { durable: false });
  }
}
