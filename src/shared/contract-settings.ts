// The contract's Guestbay-wide settings (issue 17), spread into `calls` in contract.ts: the file
// `guestbay settings` reads and writes ($XDG_CONFIG_HOME/guestbay/settings.json), from the app.
// Kept in a file of its own so it merges cleanly with other groups of calls.
import { z } from 'zod';
import { shareMethod } from './vm-choices';

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const appSettings = z.object({
  /** The Guestbay folder: `isDefault` when none is set (~/Guestbay Shared); `exists` false until the first start that needs it. */
  sharedFolder: z.object({ path: z.string(), isDefault: z.boolean(), exists: z.boolean() }),
  /** Whether a new guest gets the Guestbay folder when its create does not say (the wizard's tickbox default). */
  newGuestsGetFolder: z.boolean(),
});
export type AppSettings = z.infer<typeof appSettings>;

/** What the Guestbay folder is, or would be, in one guest on this host: its method (null: none works) and what it costs. */
export const guestbayFolderView = z.object({
  path: z.string(),
  method: shareMethod.nullable(),
  notes: z.array(z.object({ id: z.string(), message: z.string() })),
});

export const settingsCalls = {
  'settings.get': call(z.object({}), appSettings),
  /**
   * Changes the settings given, checked first (the folder: absolute, no control characters, a
   * folder or one Guestbay can make; refused as the field `sharedFolder`, nothing written), then
   * written atomically. `sharedFolder: null` goes back to the default.
   */
  'settings.set': call(z.object({ sharedFolder: z.string().max(4096).nullable().optional(), newGuestsGetFolder: z.boolean().optional() }), appSettings),
};
