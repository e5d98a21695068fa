import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import { stringify } from 'yaml';
import { createError, ErrorCodes, needsDefaultHttpTrigger, type FunctionConfig } from '@nucleon/core';
import { runtimePackage, triggerPackage } from '@nucleon/processor';
import { copyFunction } from './copy-function.js';
import { baseImageTag, baseKindOf, bootstrapBaseImages, imageExists } from './base-images.js';
import { renderDockerfile, renderProcessorDockerfile } from './dockerfile.js';
import { installFunctionDependencies } from './function-deps.js';
import { bundleProcessor, pluginName, tail, type Bundle, type PackageLocator } from './processor-bundle.js';
import { prepareRuntimeArtifacts } from './runtime-artifacts.js';

export interface BuildRequest {
  docker: Docker;
  config: FunctionConfig;
  /** The folder with the handler code. */
  functionDir: string;
  /** Image name; default `nucleon/<function name>:latest`. */
  tag?: string;
  /** Extra plugin packages (`--plugin`): npm specs or local folders. */
  plugins?: readonly string[];
  locate: PackageLocator;
  /** Also write the generated Dockerfile here. */
  dockerfileOut?: string;
  progress?: (line: string) => void;
}

export interface BuildResult {
  image: string;
  id: string;
  durationMs: number;
  dockerfile: string;
}

/** Lines of the build log kept for the error of a failed build. */
const LOG_TAIL_LINES = 20;

/**
 * Builds a function's image: the processor with only the plugins the function uses (plus
 * extras), the handler and its baked configuration, on a locally assembled base image. A
 * failed build is an error carrying the failing step and the log's last lines, and tags
 * nothing (the engine tags only a finished build; intermediate containers are removed).
 */
export async function buildFunctionImage(request: BuildRequest): Promise<BuildResult> {
  const started = Date.now();
  const progress = request.progress ?? (() => undefined);
  const { config } = request;
  const name = config.metadata.name;
  const image = request.tag ?? `nucleon/${name}:latest`;
  const runtime = config.spec.runtime;

  const baseImage = await ensureBaseImage(request.docker, config, progress);
  const { packages, plugins } = await pluginSet(config, request.plugins ?? []);
  const bundle = await bundleProcessor({ packages, plugins, locate: request.locate, progress });
  progress(`processor and plugins: ${bundle.cached ? 'cached' : 'bundled'}`);
  const deps = await installFunctionDependencies(request.functionDir, progress);

  const processorImage = await ensureProcessorImage(request.docker, baseImage, bundle, progress);
  const context = await mkdtemp(join(tmpdir(), 'nucleon-build-'));
  try {
    await copyFunction(request.functionDir, join(context, 'function'));
    await writeFile(join(context, 'function', 'function.yaml'), stringify(config));
    const env = await prepareRuntimeArtifacts(config, request.functionDir, join(context, 'function'), request.locate, progress);
    const dockerfile = renderDockerfile({
      processorImage, baseImage, functionName: name, runtime, handler: config.spec.handler, commands: config.spec.build.commands ?? [],
      hasDependencies: deps !== undefined, env,
    });
    await writeFile(join(context, 'Dockerfile'), dockerfile);
    if (request.dockerfileOut) await writeFile(request.dockerfileOut, dockerfile);
    if (deps) await symlink(deps, join(context, 'deps'));
    progress(`building ${image} from ${processorImage}`);
    const id = await runBuild(request.docker, context, image, progress);
    return { image, id, durationMs: Date.now() - started, dockerfile };
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** Runtimes with no locally assembled base: their toolchain is not on our bases. */
const NO_LOCAL_BASE: Readonly<Record<string, string>> = { dotnetcore: 'a C# compiler (Mono or the .NET SDK)' };

/** The base image to build on: `spec.build.baseImage` (must be present), or ours, assembled when missing. */
async function ensureBaseImage(docker: Docker, config: FunctionConfig, progress: (line: string) => void): Promise<string> {
  const needs = NO_LOCAL_BASE[config.spec.runtime.split(':')[0] as string];
  if (needs && !config.spec.build.baseImage) {
    throw createError(ErrorCodes.BUILD_FAILED,
      `runtime ${config.spec.runtime} has no built-in base image: set spec.build.baseImage to an image with node (22+), /bin/sh and ${needs}`);
  }
  const kind = baseKindOf(config.spec.runtime);
  const baseImage = config.spec.build.baseImage ?? baseImageTag(kind);
  if (await imageExists(docker, baseImage)) return baseImage;
  if (config.spec.build.baseImage) {
    throw createError(ErrorCodes.BUILD_FAILED, `base image ${baseImage} (spec.build.baseImage) is not in the local engine; load or pull it first`);
  }
  progress(`base image ${baseImage} is missing: assembling it (nucleon images bootstrap)`);
  await bootstrapBaseImages({ docker, kinds: [kind], progress });
  return baseImage;
}

/**
 * The `@nucleon/*` packages the function needs (processor, runtime, triggers; HTTP for the default trigger)
 * and the other plugins: the `--plugin` ones, plus any third-party kind or runtime (its name
 * is its package) that no `--plugin` supplies, to install from npm by that name.
 */
export async function pluginSet(config: FunctionConfig, extra: readonly string[]): Promise<{ packages: string[]; plugins: string[] }> {
  const triggers = Object.values(config.spec.triggers ?? {}).map((t) => triggerPackage(t.kind));
  // The processor adds Nuclio's default HTTP trigger to a function without one (a cron-only one too).
  if (needsDefaultHttpTrigger(config)) triggers.push(triggerPackage('http'));
  const needed = new Set(['@nucleon/processor', runtimePackage(config.spec.runtime), ...triggers]);
  const plugins = [...extra];
  const supplied = new Set(await Promise.all(plugins.map(pluginName)));
  for (const pkg of needed) {
    if (!pkg.startsWith('@nucleon/') && !supplied.has(pkg)) plugins.push(pkg);
  }
  return { packages: [...needed].filter((pkg) => pkg.startsWith('@nucleon/')), plugins };
}

/**
 * The base plus the processor and plugins, as an image tagged by the bundle's hash and the
 * base's id: built only when missing, so rebuilds and other functions with the same plugins
 * skip sending the processor to the engine.
 */
async function ensureProcessorImage(docker: Docker, baseImage: string, bundle: Bundle, progress: (line: string) => void): Promise<string> {
  const baseId = (await docker.getImage(baseImage).inspect()).Id.replace(/^sha256:/, '').slice(0, 12);
  const tag = `nucleon/processor:${basename(bundle.dir).replace(/^processor-/, '')}-${baseId}`;
  if (await imageExists(docker, tag)) {
    progress(`processor image ${tag}: present`);
    return tag;
  }
  const context = await mkdtemp(join(tmpdir(), 'nucleon-processor-'));
  try {
    await writeFile(join(context, 'Dockerfile'), renderProcessorDockerfile(baseImage));
    await symlink(join(bundle.dir, 'node_modules'), join(context, 'node_modules'));
    progress(`building processor image ${tag} from ${baseImage}`);
    await runBuild(docker, context, tag, progress);
    return tag;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}

/** Sends the context to the engine and follows the build; resolves with the image id. */
export async function runBuild(docker: Docker, context: string, image: string, progress: (line: string) => void): Promise<string> {
  const log: string[] = [];
  let step = '';
  let id = '';
  const stream = await docker.buildImage(pack(context, { dereference: true }) as unknown as NodeJS.ReadableStream, {
    t: image, networkmode: 'host', rm: true, forcerm: true,
  });
  const failure = await new Promise<string | undefined>((resolve) => {
    docker.modem.followProgress(stream, (err: Error | null) => resolve(err?.message), (event: BuildEvent) => {
      if (event.stream) {
        for (const line of event.stream.split('\n').filter((l) => l.trim() !== '')) {
          log.push(line);
          if (/^Step \d+\/\d+ :/.test(line)) {
            step = line;
            progress(line);
          }
        }
      }
      if (event.aux?.ID) id = event.aux.ID;
      if (event.error) log.push(event.error);
    });
  });
  const error = failure ?? log.find((l) => /returned a non-zero code|^ERROR|error/i.test(l) && !l.startsWith('Step'));
  if (failure || !id) {
    const logTail = tail(log.join('\n'), LOG_TAIL_LINES);
    throw createError(ErrorCodes.BUILD_FAILED,
      `building ${image} failed${step ? ` at ${step}` : ''}: ${error ?? 'the engine reported no image'}\n--- last lines of the build log ---\n${logTail}`,
      { details: { image, step, log: logTail } });
  }
  return id;
}

interface BuildEvent {
  stream?: string;
  error?: string;
  aux?: { ID?: string };
}
