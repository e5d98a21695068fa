import { Command, type OutputConfiguration } from 'commander';
import { registerBuild } from './commands/build.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerDelete } from './commands/delete.js';
import { registerDeploy } from './commands/deploy.js';
import { registerExport } from './commands/export.js';
import { registerGet } from './commands/get.js';
import { registerImages } from './commands/images.js';
import { registerInit } from './commands/init.js';
import { registerInvoke } from './commands/invoke.js';
import { registerKube } from './commands/kube.js';
import { registerLogs } from './commands/logs.js';
import { registerRun } from './commands/run.js';
import { registerScale } from './commands/scale.js';
import { registerScaler } from './commands/scaler.js';
import { registerVersion } from './commands/version.js';
import { checkNuctlFlags, refuseNuctlCommands } from './nuctl-flags.js';
import pkg from '../package.json' with { type: 'json' };

const EXIT_CODES_HELP = `
Exit codes: 0 success, 1 operation failed, 2 usage error, 3 function not found,
4 invalid function configuration. Set NUCLEON_DEBUG=1 for stack traces.
State lives in $NUCLEON_HOME/local (default: \${XDG_STATE_HOME:-~/.local/state}/nucleon/local).`;

/**
 * The `nucleon` command tree. Commander errors are thrown (exitOverride) rather than exiting,
 * so `runCli` maps every failure to an exit code in one place.
 */
export function createProgram(output?: OutputConfiguration): Command {
  const program = new Command('nucleon');
  if (output) program.configureOutput(output);
  program
    .description('Nucleon: serverless functions for real-time event and data processing (Nuclio-compatible)')
    .version(pkg.version, '-V, --version')
    .exitOverride()
    // Lets `get function f -o yaml` hand -o to `get function` rather than to `get` (see commands/get.ts).
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES_HELP)
    .hook('preAction', checkNuctlFlags);
  registerInit(program);
  registerRun(program);
  registerBuild(program);
  registerImages(program);
  registerDeploy(program);
  registerInvoke(program);
  registerGet(program);
  registerDelete(program);
  registerLogs(program);
  registerScale(program);
  registerScaler(program);
  registerDashboard(program);
  registerExport(program);
  registerKube(program);
  registerVersion(program);
  refuseNuctlCommands(program);
  return program;
}
