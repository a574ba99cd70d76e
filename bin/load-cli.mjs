// Loads the CLI's bundle (dist/cli.cjs) so that a command starts without compiling the code it
// runs. Node 22.1+ keeps compiled code itself (module.enableCompileCache, turned on by the
// caller): the bundle is simply required. Node 20 has no such cache, and compiling is most of
// what a short command costs there (~60 ms of a warm `guestbay probe`), so the bundle is run as a
// vm.Script given V8's code cache: one cache file per command (each compiles different
// functions), written after the command ran — so it holds the functions that command needed —
// and named by the bundle's size and time, so a rebuilt bundle never meets an old cache (V8 also
// rejects a cache whose source differs; a rejected cache is written again).
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/**
 * The bundle's exports and a `done()` to call once the command has finished (it writes the code
 * cache when there was none or V8 refused it; never throws: a cache is only an optimisation).
 * `cacheDir`: where the caches live (~/.cache/guestbay/v8-code-cache); `command`: the first argument.
 */
export function loadCli(bundle, cacheDir, command) {
  if (typeof module.enableCompileCache === 'function') {
    return { exports: module.createRequire(import.meta.url)(bundle), done: () => {}, cache: 'node' };
  }
  // esbuild writes ASCII (non-ASCII escaped): read as Latin-1, V8's one-byte strings, no UTF-8 decoding.
  const source = readFileSync(bundle, 'latin1');
  const st = statSync(bundle);
  const stamp = `cli-${st.size}-${Math.trunc(st.mtimeMs)}`;
  const cacheFile = join(cacheDir, `${stamp}-${/^[a-z0-9-]{1,40}$/.test(command ?? '') ? command : 'other'}.bin`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(module.wrap(source), { filename: bundle, cachedData });
  const m = { exports: {} };
  script.runInThisContext()(m.exports, module.createRequire(bundle), m, bundle, dirname(bundle));
  const used = cachedData && !script.cachedDataRejected;
  return {
    exports: m.exports,
    cache: used ? 'used' : cachedData ? 'rejected' : 'none',
    done: () => {
      if (used) return;
      try {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, cacheFile);
        // Caches of earlier builds are of no use again.
        for (const f of readdirSync(cacheDir)) if (f.startsWith('cli-') && !f.startsWith(`${stamp}-`)) rmSync(join(cacheDir, f), { force: true });
      } catch {
        // A read-only or full cache folder: the next run compiles again, nothing else.
      }
    },
  };
}
