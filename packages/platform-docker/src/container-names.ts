/**
 * Container names. A function `f` runs as `nucleon-f`; while a deploy waits for a new
 * container it is `nucleon-f.next`, and the one it replaces briefly `nucleon-f.old`. A dot
 * cannot occur in a function name (a DNS-1123 label), so these never collide with another
 * function's container. Creating `.next` fails while another deploy holds it, which makes
 * the name itself the cross-process deploy lock. A function scaled to zero keeps its stopped
 * container as `nucleon-f.zero` (see scale.ts for why a name is the marker).
 */
export function containerName(functionName: string): string {
  return `nucleon-${functionName}`;
}

export function candidateName(functionName: string): string {
  return `${containerName(functionName)}.next`;
}

export function retiringName(functionName: string): string {
  return `${containerName(functionName)}.old`;
}

/** The stopped container of a function that Nucleon scaled to zero. */
export function zeroName(functionName: string): string {
  return `${containerName(functionName)}.zero`;
}
