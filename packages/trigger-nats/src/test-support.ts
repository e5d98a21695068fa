import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { functionDir, functionYaml, triggerYaml } from '@nucleon/processor/testing';

/** Helpers shared by the integration tests (not exported from the package). */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const NATS_URL = `nats://127.0.0.1:${process.env.NUCLEON_NATS_PORT ?? 4222}`;

/** Runs scripts/services/nats.sh with a command (start is idempotent). */
export function natsService(command: 'start' | 'stop' | 'restart' | 'status', env: Record<string, string> = {}): void {
  execFileSync('bash', [join(ROOT, 'scripts/services/nats.sh'), command], { stdio: 'inherit', timeout: 120_000, env: { ...process.env, ...env } });
}

/** Appends every body it sees (one line per attempt), throws for bodies starting with "poison". */
export const HANDLER = `const fs = require('node:fs');
exports.handler = async (context, event) => {
  const body = event.body.toString();
  fs.appendFileSync(process.env.SEEN_FILE, body + '\\n');
  const ms = Number(process.env.HANDLER_MS || 0);
  if (ms) await new Promise((r) => setTimeout(r, ms));
  if (body.startsWith('poison')) throw new Error('cannot handle ' + body);
  return 'ok';
};`;

/** A function directory with one `nats` trigger; `attributes` are YAML lines under `attributes:`. */
export function fixture(name: string, attributes: string[], numWorkers = 1, extra: string[] = []): { dir: string; seen: string } {
  const trigger = triggerYaml({ name, kind: 'nats', attributes, extra: [`numWorkers: ${numWorkers}`, ...extra] });
  const dir = functionDir({ 'function.yaml': functionYaml({ trigger }), 'main.js': HANDLER });
  return { dir, seen: join(dir, 'seen.txt') };
}
