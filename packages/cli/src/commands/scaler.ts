import { Option, type Command } from 'commander';
import { table } from '../output.js';
import { canonicalPlatform } from '../platforms.js';
import { addClusterOptions, namespaceOption, platformOption, type ClusterOptionValues } from './function-options.js';

const HELP = `
The scaler takes functions with spec.minReplicas: 0 to zero once idle for their
spec.scaleToZero.scaleResources window (default: no event for 5m), holds their HTTP port while
they are at zero (its activator buffers requests and wakes the function), and wakes them when
their stream sources have work (Kafka lag, RabbitMQ queue depth, JetStream pending, ...) or
before a cron tick. \`deploy\` starts it in the background for such functions (local, docker).
On Kubernetes it runs as a Deployment: \`nucleon kube install\`. See docs/scaler.md.`;

type ScalerCommandOptions = { platform: string; namespace?: string } & ClusterOptionValues;

// Imported when a scaler command runs: the scaler and its metrics are no cost to every other command.
const daemon = () => import('../scaler/scaler-daemon.js');
const files = () => import('../scaler/scaler-files.js');

/** `nucleon scaler run|start|stop|status`: the scale-to-zero daemon of a platform. */
export function registerScaler(program: Command): void {
  const scaler = program.command('scaler').description('run, start, stop or show the scaler: scale to zero when idle, wake on the next event').addHelpText('after', HELP);
  addClusterOptions(scaler.command('run')
    .description('run the scaler in the foreground (JSON log lines on stdout) until SIGTERM or Ctrl-C')
    .addOption(platformOption())
    .addOption(namespaceOption())
    .addOption(new Option('--port <port>', 'its /metrics, /healthz and /status port (0: any free one)').argParser(Number).default(0))
    .option('--host <address>', 'where that port listens', '127.0.0.1')
    .addOption(new Option('--interval <ms>', 'how often functions are listed and their metrics read').argParser(Number).default(1000)))
    .action(async (opts: ScalerCommandOptions & { port: number; host: string; interval: number }) => {
      const { runScaler } = await import('../scaler/run-scaler.js');
      await runScaler({ ...opts, intervalMs: opts.interval });
    });
  scaler.command('start')
    .description('start the scaler in the background unless it runs (its log: <NUCLEON_HOME>/scaler/<platform>/scaler.log)')
    .addOption(platformOption())
    .action(async (opts: { platform: string }) => {
      const platform = canonicalPlatform(opts.platform);
      const { record, started } = await (await daemon()).ensureScaler(platform);
      process.stdout.write(`scaler ${started ? 'started' : 'already running'} for the ${platform} platform (pid ${record.pid}, metrics at http://127.0.0.1:${record.port}/metrics)\n`);
    });
  scaler.command('stop')
    .description('stop the background scaler; requests it holds are answered 503, functions at zero stay at zero')
    .addOption(platformOption())
    .action(async (opts: { platform: string }) => {
      const platform = canonicalPlatform(opts.platform);
      const stopped = await (await daemon()).stopScaler(platform);
      process.stdout.write(stopped ? `scaler stopped (pid ${stopped.pid})\n` : `no scaler runs for the ${platform} platform\n`);
    });
  scaler.command('status')
    .description('show whether the scaler runs and what it watches')
    .addOption(platformOption())
    .action(async (opts: { platform: string }) => {
      const platform = canonicalPlatform(opts.platform);
      const { liveScaler, logFile } = await files();
      const live = await liveScaler(platform);
      if (!live) {
        process.stdout.write(`no scaler runs for the ${platform} platform (start it: nucleon scaler start --platform ${platform})\n`);
        return;
      }
      process.stdout.write(`scaler running for the ${platform} platform: pid ${live.record.pid}, since ${live.record.startedAt}, metrics at http://127.0.0.1:${live.record.port}/metrics, log ${logFile(platform)}\n`);
      const rows = live.status.functions.map((f) => [f.name, f.policy ? 'yes' : 'no', f.waking ? 'waking' : f.holding ? 'holding its port' : '-',
        String(f.buffered), f.policy ? `${Math.round(f.watchedMs / 1000)} s` : '-']);
      if (rows.length > 0) process.stdout.write(table([['FUNCTION', 'SCALE TO ZERO', 'ACTIVATOR', 'BUFFERED', 'WATCHED'], ...rows]));
    });
}
