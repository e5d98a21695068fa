/**
 * Waits for `promise`, or `ms` at most; resolves either way (never rejects). Unlike racing
 * `timers/promises` sleep, it clears its timer, so a settled wait keeps no process alive.
 */
export async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
  try {
    await Promise.race([promise.then(() => undefined, () => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
