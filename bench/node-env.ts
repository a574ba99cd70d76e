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
