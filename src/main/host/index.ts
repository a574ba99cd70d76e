// The host probe's public surface; the rest of src/main/host is its implementation.
export { probeHost, type ProbeOptions } from './probe';
export { pickFirmware, type FirmwareWant } from './firmware';
export type { Runner, RunOptions, RunResult } from './run';
