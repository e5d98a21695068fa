const CPU = /^(\d+(\.\d+)?|\d+m)$/;
const MEMORY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** True for a Kubernetes CPU quantity such as `2`, `0.5` or `500m`. */
export function isCpuQuantity(value: string): boolean {
  return CPU.test(value);
}

/** True for a Kubernetes memory quantity such as `128Mi`, `1G` or `1048576`. */
export function isMemoryQuantity(value: string): boolean {
  return MEMORY.test(value);
}

/** Bytes in a memory quantity (`128Mi` -> 134217728). Assumes `isMemoryQuantity`. */
export function memoryBytes(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(value);
  if (!match) return Number.NaN;
  const unit = match[2] ?? '';
  return Number(match[1]) * (BINARY[unit] ?? DECIMAL[unit] ?? 1);
}

/** Cores in a CPU quantity (`500m` -> 0.5). Assumes `isCpuQuantity`. */
export function cpuCores(value: string): number {
  return value.endsWith('m') ? Number(value.slice(0, -1)) / 1000 : Number(value);
}
