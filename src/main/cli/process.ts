// The `guestbay` process: one command, then exit. The entry of the CLI's bundle
// (scripts/build-cli.mjs, loaded by bin/guestbay.mjs).
import './one-shot-zod'; // first of all: before any schema is built
import { runCli } from './main';

export function runCliProcess(argv: string[]): Promise<number> {
  return runCli(argv);
}
