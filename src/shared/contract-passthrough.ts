// The contract's calls for passthrough (issue 19, the app's side), spread into `calls` in
// contract.ts: the IOMMU report `guestbay iommu` prints, the host's keyboards and mice for evdev,
// the prerequisites a guest's passthrough settings fail (each with its fix) and Looking Glass's
// client (found on PATH, launched for a running guest).
import { z } from 'zod';
import { iommuReport } from './iommu-report';
import { vmName } from './vm-config';

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const name = z.object({ name: vmName });

/** A keyboard or mouse under /dev/input/by-id, as evdev passthrough takes it. */
export const inputDevice = z.object({
  /** /dev/input/by-id/usb-Logitech_USB_Keyboard-event-kbd */
  path: z.string(),
  /** The name in words, from the link's name: `Logitech USB Keyboard`. */
  name: z.string(),
  kind: z.enum(['keyboard', 'mouse']),
});
export type InputDevice = z.infer<typeof inputDevice>;

/** A passthrough setting that would stop the guest from starting: the setting, what is wrong, the fix. */
export const passthroughProblem = z.object({ field: z.string(), message: z.string(), fix: z.string() });
export type PassthroughProblem = z.infer<typeof passthroughProblem>;

export const lookingGlassClientInfo = z.object({
  /** Where looking-glass-client is on PATH; null: not installed. */
  path: z.string().nullable(),
  /** How to install it, in words (with the package), for when it is not. */
  install: z.string(),
});
export type LookingGlassClientInfo = z.infer<typeof lookingGlassClientInfo>;

export const passthroughCalls = {
  /** The IOMMU view: on or off and how to turn it on, every group with its devices, and verdicts. */
  'host.iommu': call(z.object({}), iommuReport),
  /** The keyboards and mice under /dev/input/by-id (evdev passthrough). */
  'host.inputDevices': call(z.object({}), z.array(inputDevice)),
  /** Whether Looking Glass's client is installed. */
  'host.lookingGlassClient': call(z.object({}), lookingGlassClientInfo),
  /** What stops this guest's passthrough settings from working on this host now, each with its fix (empty: nothing). */
  'guests.passthroughProblems': call(name, z.array(passthroughProblem)),
  /** Opens Looking Glass's client on a running guest's shared memory (it outlives the window). */
  'guests.lookingGlass': call(name, z.object({ pid: z.number().int(), binary: z.string(), args: z.array(z.string()) })),
} as const;
