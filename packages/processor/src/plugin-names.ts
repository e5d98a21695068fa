/**
 * Built-in trigger kinds and runtime names (Nuclio's spelling) mapped to the packages that
 * implement them. Anything not listed is taken as an npm package name, so a third-party
 * plugin is configured by writing its package name as the kind or runtime.
 */
export const BUILTIN_TRIGGERS: Readonly<Record<string, string>> = {
  http: '@nucleon/trigger-http',
  'kafka-cluster': '@nucleon/trigger-kafka',
  kafka: '@nucleon/trigger-kafka',
  'rabbit-mq': '@nucleon/trigger-rabbitmq',
  rabbitmq: '@nucleon/trigger-rabbitmq',
  kinesis: '@nucleon/trigger-kinesis',
  pubsub: '@nucleon/trigger-pubsub',
  cron: '@nucleon/trigger-cron',
  nats: '@nucleon/trigger-nats',
  mqtt: '@nucleon/trigger-mqtt',
};

export const BUILTIN_RUNTIMES: Readonly<Record<string, string>> = {
  nodejs: '@nucleon/runtime-node',
  node: '@nucleon/runtime-node',
  typescript: '@nucleon/runtime-node',
  python: '@nucleon/runtime-python',
  golang: '@nucleon/runtime-go',
  go: '@nucleon/runtime-go',
  shell: '@nucleon/runtime-shell',
  dotnetcore: '@nucleon/runtime-dotnet',
};

/** Package implementing a trigger kind. */
export function triggerPackage(kind: string): string {
  // Own keys only: `toString` or `constructor` is a (bad) package name, not Object.prototype's.
  return Object.hasOwn(BUILTIN_TRIGGERS, kind) ? (BUILTIN_TRIGGERS[kind] as string) : kind;
}

/** Package implementing a runtime; `python:3.11` is the `python` runtime. */
export function runtimePackage(runtime: string): string {
  const base = runtime.split(':')[0] ?? runtime;
  return Object.hasOwn(BUILTIN_RUNTIMES, base) ? (BUILTIN_RUNTIMES[base] as string) : runtime;
}
