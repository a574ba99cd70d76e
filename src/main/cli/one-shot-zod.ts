// zod compiles each object schema into a specialised parser the first time it parses (`new
// Function`), which pays off over thousands of parses and costs ~10 ms on a command that parses
// vm.json and the caps cache once each (and V8's code cache cannot keep what `new Function`
// makes). zod reads this setting when a schema is *built*, and the bundle builds some as it
// loads (vm-config.ts, through the store), so it is set here, by the first module the bundle's
// entry (process.ts) imports. `serve`, a long-running server that validates every request,
// keeps zod's default.
import { config } from 'zod';

if (process.argv[2] !== 'serve') config({ jitless: true });
