// The guest tools disk and the shared folders' mount state in the guest (issue 17, items 2 and
// 4): thin over src/main/guest-tools/service.ts. An insertion is an edit, announced as one.
import { insertToolsDisk, makeToolsDisk, sharedFolderStatus } from '../guest-tools/service';
import type { ApiContext, Handlers } from './context';

export function guestToolsHandlers(ctx: ApiContext): Handlers<'guests.tools' | 'guests.sharedFolders'> {
  const { deps, editor } = ctx;
  const d = { store: deps.store, supervisor: deps.supervisor, probe: () => deps.probe() };
  return {
    'guests.tools': async (i) => {
      if (!i.insert) {
        const r = await makeToolsDisk(d, i.name);
        return { path: r.path, files: r.files, inserted: false, appliedLive: [], message: `Made the guest tools disk ${r.path}.` };
      }
      const r = await insertToolsDisk({ ...d, editor }, i.name);
      await ctx.changed(i.name);
      const live = r.outcome.appliedLive.length > 0;
      return {
        path: r.path,
        files: r.files,
        inserted: true,
        appliedLive: r.outcome.appliedLive,
        message: live
          ? 'The guest tools are plugged in as a USB stick labelled GUESTTOOLS: open it in the guest and follow README.txt.'
          : 'The guest tools disk goes in as a USB stick at the guest\'s next start: then open GUESTTOOLS in the guest and follow README.txt.',
      };
    },
    'guests.sharedFolders': (i) => sharedFolderStatus(d, i.name),
  };
}
