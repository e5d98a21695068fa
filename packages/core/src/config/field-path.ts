/** Longest piece of a key a problem's path shows; a key is a name, and names are short. */
export const MAX_KEY_CHARS = 40;

/** Keys printed as they are (`spec.triggers.web`); anything else is quoted (`["my key"]`). */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/;

// C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text in a
// terminal (bidi overrides, zero-width joiners): shown as \u escapes, never sent raw.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/**
 * The path of `key` under `parent` as problems print it. A key comes from the file, so it is
 * cut to {@link MAX_KEY_CHARS} and its control characters escaped: a path names a field, it
 * never carries the file's content (a file that is not a function.yaml has lines for keys).
 */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const cut = key.length > MAX_KEY_CHARS ? `${key.slice(0, MAX_KEY_CHARS)}…` : key;
  if (PLAIN_KEY.test(key)) return parent === '' ? cut : `${parent}.${cut}`;
  return `${parent}["${escapeText(cut)}"]`;
}

/** `text` with quotes, backslashes and unprintable characters escaped, for one line of output. */
export function escapeText(text: string): string {
  return text.replace(/["\\]/g, (c) => `\\${c}`)
    .replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The path a warning about an unknown `key` under `parent` names. A key shaped like a field
 * name is shown (the user recognises the typo); any other key is more likely a line of some
 * other file read by mistake than a field, so only its length is said.
 */
export function unknownKeyPath(parent: string, key: string): string {
  if (PLAIN_KEY.test(key)) return fieldPath(parent, key);
  return `${parent === '' ? '(root)' : parent}[a key of ${key.length} characters that is not a field name]`;
}
