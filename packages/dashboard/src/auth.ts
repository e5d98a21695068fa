import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** How the dashboard checks callers: a clear token, its stored SHA-256, or not at all. */
export type DashboardAuth = { token: string } | { tokenSha256: string } | { disabled: true };

export const TOKEN_ENV = 'NUCLEON_DASHBOARD_TOKEN';
export const TOKEN_HASH_FILE = 'token.sha256';

/** What {@link resolveToken} found: `token` is set only when generated now or taken from the env. */
export interface ResolvedToken {
  token?: string;
  generated: boolean;
  hashFile: string;
  /** The SHA-256 (hex) to verify callers against. */
  sha256: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * NUCLEON_DASHBOARD_TOKEN wins; else the hash stored in `stateDir/token.sha256`; the first
 * start (or `reset`) generates a token and stores only its hash, mode 0600, so the clear token
 * is shown once and never kept on disk.
 */
export async function resolveToken(stateDir: string, env: NodeJS.ProcessEnv = process.env, reset = false): Promise<ResolvedToken> {
  const hashFile = join(stateDir, TOKEN_HASH_FILE);
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv) return { token: fromEnv, generated: false, hashFile, sha256: sha256Hex(fromEnv) };
  if (!reset) {
    const stored = await readFile(hashFile, 'utf8').then((t) => t.trim(), () => undefined);
    if (stored && /^[0-9a-f]{64}$/.test(stored)) return { generated: false, hashFile, sha256: stored };
  }
  const token = randomBytes(24).toString('base64url');
  const sha256 = sha256Hex(token);
  await mkdir(stateDir, { recursive: true });
  const tmp = `${hashFile}.${process.pid}.tmp`;
  await writeFile(tmp, `${sha256}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, hashFile);
  return { token, generated: true, hashFile, sha256 };
}

/** Returns a check of an Authorization header value; `undefined` when auth is disabled. */
export function bearerChecker(auth: DashboardAuth): ((header: string | undefined) => boolean) | undefined {
  if ('disabled' in auth) return undefined;
  const expected = Buffer.from('token' in auth ? sha256Hex(auth.token) : auth.tokenSha256.toLowerCase(), 'hex');
  return (header) => {
    const match = /^Bearer (\S+)$/i.exec(header ?? '');
    if (!match) return false;
    // Comparing fixed-length digests keeps the compare timing-safe whatever the token's length.
    const given = createHash('sha256').update(match[1]!, 'utf8').digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
}
