import { Option, type Command } from 'commander';
import { wholeNumber } from '../config/function-flags.js';
import { formatWarnings } from '../config/load-function.js';
import { prepareFunction } from '../config/prepare-function.js';
import { runWarnings } from '../config/run-warnings.js';
import { cliPackageDir } from '../package-paths.js';
import { addFunctionOptions, functionFlags, type FunctionOptionValues } from './function-options.js';

interface RunOptions extends FunctionOptionValues {
  httpPort?: number;
  httpHost: string;
  adminPort: number;
  drainTimeout: number;
}

/** `nucleon run [path]`: the function in the foreground, in this process, until SIGINT/SIGTERM. */
export function registerRun(program: Command): void {
  const command = program.command('run')
    .description('run a function in the foreground (Ctrl-C drains and stops it)');
  addFunctionOptions(command)
    .addOption(new Option('--http-port <n>', 'HTTP trigger port (default: the trigger\'s port attribute, else 8080; 0 = any free port)')
      .argParser(wholeNumber('--http-port', 0, 65535)))
    .option('--http-host <host>', 'HTTP trigger address', '127.0.0.1')
    .addOption(new Option('--admin-port <n>', 'port of /ready, /live and /metrics (0 = any free port)')
      .argParser(wholeNumber('--admin-port', 0, 65535)).default(0))
    .addOption(new Option('--drain-timeout <ms>', 'how long in-flight events may finish on stop')
      .argParser(wholeNumber('--drain-timeout')).default(10_000))
    .action(async (positional: string | undefined, opts: RunOptions) => {
      const loaded = await prepareFunction(functionFlags(positional, opts), (line) => process.stderr.write(`run: ${line}\n`));
      process.stderr.write(formatWarnings(runWarnings(loaded.config, loaded.warnings)));
      // Loaded on demand so the other commands start without the processor's dependencies.
      const { startProcessor } = await import('@nucleon/processor');
      const running = await startProcessor({
        config: loaded.config, functionDir: loaded.functionDir, httpPort: opts.httpPort, httpHost: opts.httpHost,
        adminPort: opts.adminPort, adminHost: '127.0.0.1', drainTimeoutMs: opts.drainTimeout, pluginPaths: [cliPackageDir()],
      });
      const http = running.httpAddress();
      const admin = running.adminAddress();
      process.stderr.write(`function "${loaded.config.metadata.name}" is running` +
        (http ? ` at http://${urlHost(http.host)}:${http.port}` : '') +
        ` (admin: http://${urlHost(admin.host)}:${admin.port}/ready); Ctrl-C stops it\n`);
      const signal = await nextSignal();
      process.stderr.write(`${signal}: draining (up to ${opts.drainTimeout} ms)\n`);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      await running.stop(opts.drainTimeout);
      process.stderr.write('stopped\n');
    });
}

function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
