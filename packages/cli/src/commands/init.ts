import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { INIT_RUNTIMES, initTemplate } from '../templates.js';
import { usageError } from '../errors.js';

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `nucleon init <name>`: a new function folder from a template. */
export function registerInit(program: Command): void {
  program.command('init')
    .description('create a function folder <name>/ with function.yaml, a hello handler and a README')
    .argument('<name>', 'function name and folder name (lowercase letters, digits, "-")')
    .addOption(new Option('--runtime <runtime>', 'handler language').choices(INIT_RUNTIMES).default('node'))
    .option('--dir <path>', 'directory to create the folder in', '.')
    .addHelpText('after', '\nRefuses to write into an existing non-empty directory (exit 1).')
    .action((name: string, opts: { runtime: string; dir: string }) => {
      if (!NAME.test(name)) {
        throw usageError(`"${name}" is not a valid function name: use lowercase letters, digits and "-", at most 63 characters`);
      }
      const target = resolve(opts.dir, name);
      if (existsSync(target) && readdirSync(target).length > 0) {
        throw new Error(`${target} already exists and is not empty; pick another name or --dir`);
      }
      mkdirSync(target, { recursive: true });
      const files = initTemplate(name, opts.runtime);
      for (const [file, { content, mode }] of Object.entries(files)) writeFileSync(join(target, file), content, { mode: mode ?? 0o644 });
      const shown = relative(process.cwd(), target) || '.';
      const arg = shellWord(shown);
      // The "next" line is a command that works when pasted as printed.
      process.stdout.write(`created ${shown}/: ${Object.keys(files).join(', ')}\n` +
        `next: nucleon deploy ${arg} && nucleon invoke ${name}\n` +
        `  (or in the foreground: nucleon run ${arg})\n`);
    });
}

/** A path as one shell word: quoted only when it needs to be. */
function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
