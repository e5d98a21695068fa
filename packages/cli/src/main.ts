import { runCli } from './run-cli.js';

// `nucleon get | head`: a reader that goes away is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// Set the exit code rather than exiting, so pending stdout writes are flushed first; the
// unref'd timer only matters if a library left a handle open after the command finished.
process.exitCode = await runCli(process.argv);
setTimeout(() => process.exit(), 2000).unref();
