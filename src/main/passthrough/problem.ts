/** A passthrough prerequisite that fails: the setting to change, what is wrong, and the fix, in plain words. */
export interface Problem {
  field: string;
  message: string;
  fix: string;
}
