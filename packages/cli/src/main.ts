import { enableCompileCache } from 'node:module';

// V8's compiled code for the CLI and its dependencies, kept on disk between runs (Node 22.1+):
// most of a command's start is compiling modules, the Kubernetes client's above all. Enabled
// before anything else is imported, so everything after it is cached.
enableCompileCache?.();
const { runCli } = await import('./run-cli.js');

// `nucleon get | head`: a reader that goes away is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

// Set the exit code rather than exiting, so pending stdout writes are flushed first; the
// unref'd timer only matters if a library left a handle open after the command finished.
process.exitCode = await runCli(process.argv);
setTimeout(() => process.exit(), 2000).unref();
