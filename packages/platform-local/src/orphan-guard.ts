// Preloaded into the processor (`node --import`): when its supervisor dies without passing on
// a SIGTERM (SIGKILL, OOM killer), the processor is re-parented; it then stops itself the
// ordinary way instead of serving on, unsupervised and unrecorded. Runtime wrappers forked
// with the same flags watch their own parent the same way.
const parent = process.ppid;
const CHECK_EVERY_MS = 1_000;

setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, CHECK_EVERY_MS).unref();
