import { runCli } from './run-cli.js';

// Set the exit code rather than exiting, so pending stdout writes are flushed first; the
// unref'd timer only matters if a library left a handle open after the command finished.
process.exitCode = await runCli(process.argv);
setTimeout(() => process.exit(), 2000).unref();
