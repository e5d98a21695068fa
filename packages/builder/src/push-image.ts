import type Docker from 'dockerode';
import { createError, ErrorCodes } from '@nucleon/core';

export interface PushRequest {
  docker: Docker;
  /** A local image (name or id). */
  image: string;
  /** Where it goes: `<registry>/<repository>:<tag>`, e.g. `127.0.0.1:5000/nucleon/echo:0123456789ab`. */
  reference: string;
  progress?: (line: string) => void;
}

/** Splits `host:port/repo/name:tag` into repository and tag (a registry port is not a tag). */
export function splitReference(reference: string): { repository: string; tag: string } {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon > slash) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repository: reference, tag: 'latest' };
}

/**
 * Tags `image` as `reference` and pushes it through the Docker engine, a progress line per
 * layer outcome (`pushed`, `already in the registry`) and the digest. The engine pushes to a
 * registry on 127.0.0.1 over plain HTTP without configuration (loopback registries count as
 * insecure ones). A failure is NUCLEON_ERR_BUILD_FAILED with the engine's words.
 */
export async function pushImage(request: PushRequest): Promise<{ digest?: string }> {
  const { docker, reference } = request;
  const progress = request.progress ?? (() => undefined);
  const { repository, tag } = splitReference(reference);
  try {
    await docker.getImage(request.image).tag({ repo: repository, tag });
  } catch (err) {
    throw createError(ErrorCodes.BUILD_FAILED, `cannot tag ${request.image} as ${reference}: ${(err as Error).message}`, { cause: err });
  }
  progress(`pushing ${reference}`);
  let digest: string | undefined;
  let failure: string | undefined;
  try {
    // An (empty) X-Registry-Auth header: the engine refuses a push without one.
    const stream = await docker.getImage(repository).push({ tag, authconfig: { serveraddress: repository.split('/')[0] } } as never);
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream as unknown as NodeJS.ReadableStream, (err: Error | null) => (err ? reject(err) : resolve()), (event: PushEvent) => {
        if (event.error) failure = event.error;
        if (event.aux?.Digest) digest = event.aux.Digest;
        if (event.id && (event.status === 'Pushed' || event.status === 'Layer already exists')) {
          progress(`  ${event.id}: ${event.status === 'Pushed' ? 'pushed' : 'already in the registry'}`);
        }
      });
    });
  } catch (err) {
    failure ??= (err as Error).message;
  }
  if (failure) {
    throw createError(ErrorCodes.BUILD_FAILED,
      `pushing ${reference} failed: ${failure} (is a registry listening at ${repository.split('/')[0]}?)`,
      { details: { reference } });
  }
  progress(`pushed ${reference}${digest ? ` (${digest})` : ''}`);
  return digest ? { digest } : {};
}

interface PushEvent {
  status?: string;
  id?: string;
  error?: string;
  aux?: { Digest?: string };
}
