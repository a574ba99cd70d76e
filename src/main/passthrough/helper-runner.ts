// What runs the privileged helper's operations: pkexec with the installed, root-owned helper;
// or, in tests, an executable run directly as this user (a stub that records what it is asked).
import { systemBinary } from '../host/system-binary';
import { findHelper, helperArgs, HelperError, runHelper, type HelperOp } from './helper';

/** Runs one of the helper's operations as root. */
export interface HelperRunner {
  run(op: HelperOp): Promise<string[]>;
}

/** The real one: pkexec (asks for the password) running the installed, root-owned helper. */
export function pkexecRunner(): HelperRunner {
  let found: Promise<[string, string]> | undefined;
  return {
    async run(op) {
      const [pkexec, helper] = await (found ??= Promise.all([systemBinary('pkexec'), findHelper()]));
      return runHelper(pkexec, helper, op);
    },
  };
}

/** An executable run as this user with the helper's arguments: the tests' recording stand-in for pkexec + helper. */
export function directRunner(executable: string): HelperRunner {
  return {
    async run(op) {
      const { execa } = await import('execa'); // lazily: the supervisor imports this file on every start
      const r = await execa(executable, helperArgs(op), { reject: false });
      if (r.exitCode !== 0) throw new HelperError(r.stderr.trim() || `${executable} failed (exit ${r.exitCode})`);
      return r.stdout.split('\n').filter(Boolean);
    },
  };
}
