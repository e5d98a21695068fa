import { readFileSync } from 'node:fs';
import { Supervisor } from './supervisor.js';
import type { SupervisorOptions } from './supervisor-options.js';

// `node supervisor-main.js --options <run>/supervisor.json -- <processor main> --config ...`:
// the processor's arguments stay on this command line, so the platform's ownership check
// (processor entry plus a --config in the function's folder) recognises the supervisor.
const argv = process.argv.slice(2);
const optionsFile = argv[argv.indexOf('--options') + 1];
const separator = argv.indexOf('--');
if (argv.indexOf('--options') === -1 || optionsFile === undefined || separator === -1) {
  process.stderr.write('usage: supervisor-main --options <file> -- <processor main> [processor args]\n');
  process.exit(2);
}
const options = JSON.parse(readFileSync(optionsFile, 'utf8')) as SupervisorOptions;
const supervisor = new Supervisor(options, argv.slice(separator + 1));
const stop = (): void => supervisor.stop();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const end = await supervisor.run();
process.off('SIGTERM', stop);
process.off('SIGINT', stop);
// Pass the processor's end on: deploy reports "exited with code 70" or "killed by SIGKILL".
if (end.signal) process.kill(process.pid, end.signal);
else process.exit(end.code ?? 1);
