// The error a client throws when a call fails on the other side. Apart from contract.ts (which
// re-exports it) so that the renderer's first screen — the client, the library, its error
// notices — does not evaluate the contract's zod schemas: they are most of the bundle's weight.

/** A failed call's error as the wire carries it (contract.ts's `wireError`, which is checked to agree). */
export interface WireErrorShape {
  name: string;
  message: string;
  fields?: { field: string; message: string }[];
}

export class CallError extends Error {
  constructor(
    readonly call: string,
    readonly wire: WireErrorShape,
  ) {
    super(wire.message);
    this.name = wire.name;
  }
  get fields() {
    return this.wire.fields ?? [];
  }
}
