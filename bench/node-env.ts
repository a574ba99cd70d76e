// The environment a Node process of Guestbay's gets on a user's desktop. These machines' sandbox
// sets NODE_EXTRA_CA_CERTS (its proxy's certificate bundle): Node then reads and parses ~140
// certificates before running anything, ~70 ms of every process here (`node -e 0`: ~110 ms with
// it, ~40 ms without). A desktop session does not set it; a user behind a proxy who does pays it
// for every Node program alike. The benches that time whole processes run them without it, and
// print what it costs here beside. (execa adds the parent's environment unless `extendEnv: false`.)
/** `env` (a whole environment) without the variable: give it to execa with `extendEnv: false`. */
export function desktopEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const e = { ...env };
  delete e.NODE_EXTRA_CA_CERTS;
  return e;
}

/** What to print about the variable, when this machine sets it. */
export const extraCertsSet = Boolean(process.env.NODE_EXTRA_CA_CERTS);

/**
 * What kind of Node runs the benches, to print beside a whole process's time. Node's official
 * builds (and Arch's) start from a V8 snapshot with its own modules' code cached (`node -e 0`:
 * ~25 ms here); Debian's (the QEMU 10 chroot's) is built without either, and spends ~80 ms
 * before running a line. That time is Node's own, and it counts against every ratio that
 * includes a Node process's start.
 */
export function nodeKind(): string {
  const v = (process.config.variables ?? {}) as Record<string, unknown>;
  const snapshot = v.node_use_node_snapshot !== false;
  const cache = v.node_use_node_code_cache !== false;
  return `Node ${process.version}${snapshot && cache ? '' : `, built without ${[!snapshot && 'its start-up snapshot', !cache && 'its code cache'].filter(Boolean).join(' and ')} (Debian's build)`}`;
}
