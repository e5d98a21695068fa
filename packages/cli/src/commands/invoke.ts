import { Option, type Command } from 'commander';
import { createError, ErrorCodes } from '@nucleon/core';
import { wholeNumber } from '../config/function-flags.js';
import { buildInvokeRequest, type InvokeFlags } from '../invoke-request.js';
import { openPlatform } from '../platforms.js';
import { platformOption } from './function-options.js';

interface InvokeOptions extends InvokeFlags {
  timeout: number;
  raiseOnStatus?: boolean;
  verbose?: boolean;
  platform: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `nucleon invoke <name>`: one real HTTP request to the function's HTTP trigger. */
export function registerInvoke(program: Command): void {
  program.command('invoke')
    .description('send an HTTP request to a deployed function and print the response body')
    .argument('<name>', 'function name')
    .option('-m, --method <method>', 'HTTP method (default: POST with a body, else GET)')
    .option('-b, --body <text>', 'request body')
    .option('-c, --content-type <type>', 'Content-Type (default: application/json for a JSON body, else text/plain)')
    .option('-H, --header <"Name: value">', 'request header (repeatable)', collect)
    .option('-d, --headers <name=value,...>', 'request headers, nuctl style')
    .option('-p, --path <path>', 'request path', '/')
    .addOption(new Option('-t, --timeout <seconds>', 'give up after this long').argParser(wholeNumber('--timeout', 1)).default(60))
    .option('--raise-on-status', 'fail (exit 1) on any status outside 2xx, not only on >= 400')
    .option('-v, --verbose', 'print the status line and response headers to stderr')
    .addOption(platformOption())
    .addHelpText('after', '\nExit codes: 0 response status < 400, 1 status >= 400 (any non-2xx with --raise-on-status) or no\n' +
      'response, 2 usage, 3 no such function.')
    .action(async (name: string, opts: InvokeOptions) => {
      const request = buildInvokeRequest(opts);
      const status = await openPlatform(opts.platform).get(name);
      if (!status) throw createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found on the ${opts.platform} platform`);
      if (!status.url) throw createError(ErrorCodes.INVOKE_FAILED, `function "${name}" has no HTTP trigger to invoke`);
      if (status.state !== 'ready') {
        throw createError(ErrorCodes.INVOKE_FAILED, `function "${name}" is ${status.state}${status.message ? `: ${status.message}` : ''}`);
      }
      let response: Response;
      try {
        response = await fetch(status.url + request.path, {
          method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(opts.timeout * 1000),
        });
      } catch (cause) {
        const reason = (cause as Error).name === 'TimeoutError' ? `no response within ${opts.timeout} s` : (cause as Error).message;
        throw createError(ErrorCodes.INVOKE_FAILED, `invoking "${name}" at ${status.url}${request.path} failed: ${reason}`, { cause });
      }
      if (opts.verbose) {
        const lines = [`HTTP ${response.status} ${response.statusText}`, ...[...response.headers].map(([k, v]) => `${k}: ${v}`)];
        process.stderr.write(`${lines.join('\n')}\n\n`);
      }
      const body = Buffer.from(await response.arrayBuffer());
      process.stdout.write(body);
      if (process.stdout.isTTY && body.length > 0 && body.at(-1) !== 0x0a) process.stdout.write('\n');
      const failed = opts.raiseOnStatus ? response.status < 200 || response.status > 299 : response.status >= 400;
      if (failed) throw createError(ErrorCodes.INVOKE_FAILED, `function "${name}" answered HTTP ${response.status} ${response.statusText}`);
    });
}
