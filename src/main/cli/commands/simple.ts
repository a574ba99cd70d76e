// `guestbay pause|resume|reset|save N`: one supervisor call each, the guest's status printed.
import { lifecycle, needName, parse, type Command } from '../common';

const simple =
  (op: 'pause' | 'resume' | 'reset' | 'save'): Command =>
  async (e, args) => {
    const { values, positionals } = parse(args, { json: { type: 'boolean' } }, 1);
    return lifecycle(e, values.json, (sup) => sup[op](needName(positionals)));
  };

export const pause = simple('pause');
export const resume = simple('resume');
export const reset = simple('reset');
export const save = simple('save');
