/** Whether a NATS subject pattern (with `*` and `>` wildcards) matches every subject `subject` can be. */
export function subjectCovers(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    const token = p[i] as string;
    if (token === '>') return i < s.length;
    if (i >= s.length) return false;
    const other = s[i] as string;
    if (token === '*') {
      if (other === '>') return false;
      continue;
    }
    if (token !== other) return false;
  }
  return p.length === s.length;
}

/** Whether a subject is well formed: non-empty dot-separated tokens, no spaces, `>` only last. */
export function isValidSubject(subject: string): boolean {
  if (subject === '' || /\s/.test(subject)) return false;
  const tokens = subject.split('.');
  return tokens.every((t, i) => t !== '' && (t !== '>' || i === tokens.length - 1) && (t.length === 1 || !/[*>]/.test(t)));
}
