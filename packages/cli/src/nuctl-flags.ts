import { Option, type Command } from 'commander';
import { usageError } from './errors.js';

/** A nuctl flag Nucleon does not support yet: `takesValue` decides whether it consumes the next argument. */
interface NuctlFlag {
  flags: string;
  takesValue: boolean;
}

const value = (flags: string): NuctlFlag => ({ flags, takesValue: true });
const bool = (flags: string): NuctlFlag => ({ flags, takesValue: false });

/** nuctl's global flags that mean nothing here (none left: `-k/--kubeconfig` is the kube platform's). */
const GLOBAL: readonly NuctlFlag[] = [];

/**
 * nuctl's build flags (shared by `deploy`) that Nucleon has no equivalent for. `-i/--image`
 * is not listed: Nucleon's `--image` is nuctl's `--run-image` (docs/cli.md).
 */
const BUILD: readonly NuctlFlag[] = [
  value('--source'), value('-r, --registry'), bool('--no-pull'), bool('--no-cleanup'), value('--onbuild-image'),
  bool('--offline'), value('--build-runtime-attrs'), value('--build-code-entry-attrs'), value('--code-entry-type'),
  value('--output-image-file'),
];

/** nuctl's deploy flags (beyond the build flags) that Nucleon does not support yet. */
const DEPLOY: readonly NuctlFlag[] = [
  value('--nodeSelector'), value('--nodeName'), value('--priorityClassName'), value('--preemptionPolicy'),
  bool('-d, --disable'), value('--run-as-user'), value('--run-as-group'), value('--fsgroup'), value('--target-cpu'),
  bool('--publish'), value('--data-bindings'), value('--http-trigger-service-type'), value('--platform-config'),
  value('--project-name'), value('--volume'), bool('--skip-spec-cleanup'),
  bool('--redeploy-with-report-file'), bool('--no-report'), bool('--verify-external-registry'), value('--input-image-file'),
  value('--output-file'), bool('--no-build'), bool('--deploy-all'), bool('-w, --wait'), value('--exclude-projects'),
  value('--exclude-functions'), bool('--exclude-functions-with-gpu'), bool('--imported-only'), value('--wait-timeout'),
];

/** Per command: the nuctl flags to refuse by name. */
export const UNSUPPORTED_NUCTL_FLAGS: Readonly<Record<string, readonly NuctlFlag[]>> = {
  // `-r/--registry` and `--run-registry` are deploy's (the kube platform pushes there).
  deploy: [...GLOBAL, ...BUILD.filter((f) => f.flags !== '--output-image-file' && f.flags !== '-r, --registry'), ...DEPLOY],
  build: [...GLOBAL, ...BUILD],
  get: [...GLOBAL, value('-l, --labels')],
  delete: [...GLOBAL],
  invoke: [...GLOBAL, value('--via')],
  export: [...GLOBAL, bool('--no-scrub')],
  logs: [...GLOBAL],
};

const REFUSED = Symbol('nuctl flags refused by this command');

type RefusingCommand = Command & { [REFUSED]?: string[] };

/**
 * Registers the nuctl flags `command` refuses as hidden options, so `--project-name x` is
 * answered with what it is (a nuctl flag not supported yet, exit 2) rather than commander's
 * "unknown option". A flag with a value takes it optionally, so a bare one is refused the same way.
 */
export function refuseNuctlFlags(command: Command, flags: readonly NuctlFlag[]): Command {
  const names: string[] = [];
  for (const flag of flags) {
    const option = new Option(flag.takesValue ? `${flag.flags} [value]` : flag.flags).hideHelp();
    command.addOption(option);
    names.push(option.attributeName());
  }
  (command as RefusingCommand)[REFUSED] = [...((command as RefusingCommand)[REFUSED] ?? []), ...names];
  return command;
}

/** A preAction hook: throws the usage error for the first refused nuctl flag given on the command line. */
export function checkNuctlFlags(_program: Command, action: Command): void {
  for (const name of (action as RefusingCommand)[REFUSED] ?? []) {
    if (action.getOptionValueSource(name) !== 'cli') continue;
    const option = action.options.find((o) => o.attributeName() === name);
    throw usageError(`${option?.long ?? name} is a nuctl flag Nucleon does not support yet; see docs/cli.md`);
  }
}

/** nuctl's commands that Nucleon has no counterpart for yet (projects, API gateways, imports). */
const UNSUPPORTED_NUCTL_COMMANDS = ['import', 'create', 'update', 'beta'] as const;

/**
 * Registers nuctl's unsupported commands as hidden ones that refuse by name (exit 2), so
 * `nucleon create project p` says what it is instead of commander's "unknown command".
 */
export function refuseNuctlCommands(program: Command): void {
  for (const name of UNSUPPORTED_NUCTL_COMMANDS) {
    program.command(name, { hidden: true })
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(() => {
        throw usageError(`"${name}" is a nuctl command Nucleon does not support yet; see docs/cli.md`);
      });
  }
}
