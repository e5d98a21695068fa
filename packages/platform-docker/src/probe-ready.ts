/** True when the processor's admin server answers `GET /ready` with 200 within `timeoutMs`. */
export async function probeReady(adminPort: number, timeoutMs = 1000): Promise<boolean> {
  if (!(adminPort > 0)) return false;
  try {
    const res = await fetch(`http://127.0.0.1:${adminPort}/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}
