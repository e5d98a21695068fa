import { Option, type Command } from 'commander';
import { createError, ErrorCodes, sleep, type Platform } from '@nucleon/core';
import { buildInvokeRequest, type InvokeFlags } from '../invoke-request.js';
import { INVOKE_LOG_LEVELS, invokeLogLevel, invokeTimeout, requestLogLines, type InvokeLogLevel } from '../invoke-logs.js';
import { refuseNuctlFlags, UNSUPPORTED_NUCTL_FLAGS } from '../nuctl-flags.js';
import { openPlatform } from '../platforms.js';
import { addClusterOptions, namespaceOption, platformOption, type ClusterOptionValues } from './function-options.js';

interface InvokeOptions extends InvokeFlags, ClusterOptionValues {
  namespace?: string;
  /** Milliseconds. */
  timeout: number;
  logLevel?: InvokeLogLevel;
  raiseOnStatus?: boolean;
  verbose?: boolean;
  platform: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `nucleon invoke <name>`: one real HTTP request to the function's HTTP trigger. */
export function registerInvoke(program: Command): void {
  const command = program.command('invoke')
    .description('send an HTTP request to a deployed function and print the response body')
    .argument('<name>', 'function name')
    .option('-m, --method <method>', 'HTTP method (default: POST with a body, else GET)')
    .option('-b, --body <text>', 'request body')
    .option('-c, --content-type <type>', 'Content-Type (default: application/json for a JSON body, else text/plain)')
    .option('-H, --header <"Name: value">', 'request header (repeatable)', collect)
    .option('-d, --headers <name=value,...>', 'request headers, nuctl style')
    .option('-p, --path <path>', 'request path', '/')
    .addOption(new Option('-t, --timeout <duration>', 'give up after this long: 30s, 1m, 500ms, or seconds').argParser(invokeTimeout).default(60_000, '60s'))
    .addOption(new Option('-l, --log-level <level>', `also print the function's log lines for this request at this level or above, on stderr (${INVOKE_LOG_LEVELS.join(', ')})`)
      .argParser(invokeLogLevel))
    .option('--raise-on-status', 'fail (exit 1) on any status outside 2xx, not only on >= 400')
    .option('-v, --verbose', 'print the status line and response headers to stderr')
    .addOption(platformOption())
    .addOption(namespaceOption())
    .addHelpText('after', '\n-l needs the lines to be logged: deploy with --logger-level debug to see debug lines.\n' +
      'Exit codes: 0 response status < 400, 1 status >= 400 (any non-2xx with --raise-on-status) or no\n' +
      'response, 2 usage, 3 no such function.\n' +
      '--platform kube: functions run on the node\'s host network and listen on 127.0.0.1:<status.httpPort>, so invoke\n' +
      'reaches them from the node itself (no port-forward, no kube-proxy); run it on the node.');
  refuseNuctlFlags(addClusterOptions(command), UNSUPPORTED_NUCTL_FLAGS.invoke!)
    .action(async (name: string, opts: InvokeOptions) => {
      const request = buildInvokeRequest(opts);
      const platform = await openPlatform(opts.platform, opts);
      const status = await platform.get(name);
      if (!status) throw createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found on the ${opts.platform} platform`);
      if (!status.url) throw createError(ErrorCodes.INVOKE_FAILED, `function "${name}" has no HTTP trigger to invoke`);
      if (status.state !== 'ready' && status.state !== 'scaledToZero') {
        throw createError(ErrorCodes.INVOKE_FAILED, `function "${name}" is ${status.state}${status.message ? `: ${status.message}` : ''}`);
      }
      const startedAt = Date.now();
      let response: Response;
      const send = () => fetch(status.url + request.path, {
        method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(opts.timeout),
      });
      try {
        // At zero the scaler's activator answers on the function's port and wakes it; with no scaler running, wake it here.
        response = await send().catch(async (cause: unknown) => {
          if (status.state !== 'scaledToZero' || !platform.scale || !refused(cause)) throw cause;
          process.stderr.write(`invoke: "${name}" is scaled to zero and no scaler holds its port; waking it\n`);
          await platform.scale(name, 1, { onProgress: (line) => process.stderr.write(`invoke: ${line}\n`) });
          return send();
        });
      } catch (cause) {
        const reason = (cause as Error).name === 'TimeoutError' ? `no response within ${formatMs(opts.timeout)}` : (cause as Error).message;
        throw createError(ErrorCodes.INVOKE_FAILED, `invoking "${name}" at ${status.url}${request.path} failed: ${reason}`, { cause });
      }
      if (opts.verbose) {
        const lines = [`HTTP ${response.status} ${response.statusText}`, ...[...response.headers].map(([k, v]) => `${k}: ${v}`)];
        process.stderr.write(`${lines.join('\n')}\n\n`);
      }
      const body = Buffer.from(await response.arrayBuffer());
      process.stdout.write(body);
      if (process.stdout.isTTY && body.length > 0 && body.at(-1) !== 0x0a) process.stdout.write('\n');
      if (opts.logLevel && opts.logLevel !== 'none') await printRequestLogs(platform, name, opts.logLevel, startedAt);
      const failed = opts.raiseOnStatus ? response.status < 200 || response.status > 299 : response.status >= 400;
      if (failed) throw createError(ErrorCodes.INVOKE_FAILED, `function "${name}" answered HTTP ${response.status} ${response.statusText}`);
    });
}

/** How long the processor may take to write a request's last log line after answering it. */
const LOG_FLUSH_MS = 150;

async function printRequestLogs(platform: Platform, name: string, level: Exclude<InvokeLogLevel, 'none'>, fromMs: number): Promise<void> {
  const toMs = Date.now();
  await sleep(LOG_FLUSH_MS);
  const lines: string[] = [];
  for await (const line of platform.logs(name)) lines.push(line);
  const picked = requestLogLines(lines, level, fromMs, toMs + LOG_FLUSH_MS);
  process.stderr.write(`> function logs (${level} and above, ${picked.length} lines):\n${picked.map((l) => `${l}\n`).join('')}`);
}

/** fetch's failure for a port nobody listens on. */
function refused(error: unknown): boolean {
  return ((error as { cause?: { code?: string } }).cause?.code) === 'ECONNREFUSED';
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
