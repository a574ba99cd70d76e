// A configuration refused field by field. Its own file, apart from the schemas in vm-config.ts,
// so what only needs to recognise the error (the CLI's error printer, loaded by every command)
// does not build every schema first (~14 ms of a `guestbay probe`).

export interface FieldError {
  /** Dotted path of the field, e.g. `disks.0.size`. */
  field: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('\n'));
    this.name = 'ConfigError';
  }
}
