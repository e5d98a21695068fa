import type { Command } from 'commander';
import pkg from '../../package.json' with { type: 'json' };

/** The line `version` prints, in nuctl's shape (`Client version:` then a quoted summary). */
export function versionText(): string {
  return `Client version:\n"Label: ${pkg.version}, Node.js: ${process.version}, OS: ${process.platform}, Arch: ${process.arch}"\n`;
}

/** `nucleon version` (alias `ver`): the client version as nuctl prints it; `-V/--version` prints the bare number. */
export function registerVersion(program: Command): void {
  program.command('version').alias('ver')
    .description('print the client version, as nuctl does')
    .action(() => {
      process.stdout.write(versionText());
    });
}
