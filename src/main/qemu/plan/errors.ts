// Its own file: qemu-opts.ts raises it too, and plan/types.ts imports qemu-opts's types.
/** A config that cannot be launched on this host; `field` names what to change. */
export class PlanError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}
