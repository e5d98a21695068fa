import type { LogFields, Logger } from '@nucleon/core';

/**
 * The controller's default logger: one JSON object per line on stderr
 * (`{"time":...,"level":"info","msg":"created Deployment ns/nuclio-hello"}`).
 */
export function jsonLogger(fields: LogFields = {}, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const log = (level: string) => (message: string, extra?: unknown) => {
    const more = extra !== null && typeof extra === 'object' && !Array.isArray(extra) ? extra as LogFields : extra === undefined ? {} : { arg: extra };
    write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields, ...more }) + '\n');
  };
  return {
    debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'),
    debugWith: log('debug'), infoWith: log('info'), warnWith: log('warn'), errorWith: log('error'),
    child: (more) => jsonLogger({ ...fields, ...more }, write),
  };
}
