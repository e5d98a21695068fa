// Function sources travel as base64 of their UTF-8 bytes; atob/btoa alone only handle Latin-1.
export function decodeBase64Utf8(base64: string): string {
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

export function encodeBase64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** "KEY=value" lines to a map; blank lines and # comments are skipped. */
export function parseKeyValueLines(text: string, separator: '=' | ':'): { pairs: [string, string][]; bad: string[] } {
  const pairs: [string, string][] = [];
  const bad: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const at = line.indexOf(separator);
    if (at <= 0) bad.push(line);
    else pairs.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
  }
  return { pairs, bad };
}
