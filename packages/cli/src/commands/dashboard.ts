import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Option, type Command } from 'commander';
import { resolveStateDir } from '@nucleon/platform-local';
import { usageError } from '../errors.js';
import { canonicalPlatform, openPlatform } from '../platforms.js';
import { addClusterOptions, namespaceOption, platformOption, type ClusterOptionValues } from './function-options.js';

const DEFAULT_PORT = 8070;

/** Hosts `--no-auth` accepts: an unauthenticated dashboard is for this machine only. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw usageError(`--port must be a port number (0-65535), got "${value}"`);
  return n;
}

/** The dashboard's own state, beside the local platform's (`$NUCLEON_HOME/dashboard/<platform>`). */
export function dashboardStateDir(platform: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(resolveStateDir(env, homedir())), 'dashboard', platform);
}

interface DashboardOptionValues extends ClusterOptionValues {
  platform: string;
  namespace?: string;
  host: string;
  port: number;
  auth: boolean;
  resetToken?: boolean;
}

/** `nucleon dashboard`: the REST API and web UI on 127.0.0.1:8070, token-authenticated by default. */
export function registerDashboard(program: Command): void {
  program.command('dashboard')
    .description('serve the management API and web UI (Nuclio\'s dashboard, authenticated by default)')
    .addOption(platformOption())
    .addOption(namespaceOption())
    .addOption(new Option('--host <address>', 'address to listen on').default('127.0.0.1'))
    .addOption(new Option('--port <n>', 'port to listen on (0: any free port)').argParser(portNumber).default(DEFAULT_PORT))
    .option('--no-auth', 'serve without a token (loopback hosts only; anyone on this machine can deploy code)')
    .option('--reset-token', 'forget the stored token and print a new one')
    .addHelpText('after', '\nThe first start prints a token once; the UI asks for it and API clients send it as\n' +
      '`Authorization: Bearer <token>`. NUCLEON_DASHBOARD_TOKEN sets the token instead. Only a hash is stored,\n' +
      'in $NUCLEON_HOME/dashboard/<platform>/; a lost token is replaced with --reset-token.');
  addClusterOptions(program.commands.at(-1)!)
    .action(async (opts: DashboardOptionValues) => {
      if (!opts.auth && !isLoopbackHost(opts.host)) {
        throw usageError(`--no-auth is allowed only on a loopback host (127.0.0.1, ::1, localhost), not "${opts.host}"`);
      }
      // Imported here: fastify would add to every other command's start time.
      const { resolveToken, startDashboard } = await import('@nucleon/dashboard');
      const platformName = canonicalPlatform(opts.platform);
      const platform = await openPlatform(opts.platform, opts);
      const stateDir = dashboardStateDir(platformName);
      const auth = opts.auth ? await tokenAuth(resolveToken, stateDir, Boolean(opts.resetToken)) : { disabled: true as const };
      if (!opts.auth) {
        process.stderr.write('WARNING: the dashboard runs WITHOUT authentication: any process or web page on this machine that\n' +
          'reaches it can deploy and run code as you. Use it only on a machine you alone use.\n');
      }
      const dashboard = await startDashboard({ platform, platformName, stateDir, host: opts.host, port: opts.port, auth });
      process.stdout.write(`dashboard on ${dashboard.url} (platform ${platformName}); Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => { void dashboard.close().finally(resolve); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

type ResolveToken = (typeof import('@nucleon/dashboard'))['resolveToken'];

async function tokenAuth(resolveToken: ResolveToken, stateDir: string, reset: boolean): Promise<{ token: string } | { tokenSha256: string }> {
  const resolved = await resolveToken(stateDir, process.env, reset);
  if (resolved.generated && resolved.token) {
    process.stdout.write(`dashboard token (shown once; only its hash is kept in ${resolved.hashFile}):\n  ${resolved.token}\n`);
  }
  // A later start has only the stored hash: callers are checked against it.
  return resolved.token ? { token: resolved.token } : { tokenSha256: resolved.sha256 };
}
