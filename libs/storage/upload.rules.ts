/** Pure rules about uploaded files: names, types, magic numbers, how they are served. */

export const MAX_FILE_NAME = 200;

/**
 * A file name safe to store and to send back: the last path segment only, no control or
 * format characters (bidi overrides included), none of `<>:"/\|?*`, no leading dots or
 * trailing dots and spaces, at most 200 characters with its extension kept. Never empty.
 */
export function sanitizeFileName(raw: string | null | undefined): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  const chars = [...name];
  if (chars.length > MAX_FILE_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? [...name.slice(dot)] : [];
    const keep = ext.length > 0 && ext.length <= 16 ? ext : [];
    name =
      chars
        .slice(0, MAX_FILE_NAME - keep.length)
        .join('')
        .replace(/[\s.]+$/, '') + keep.join('');
  }
  return name || 'file';
}

/** What the first bytes say a file is. */
export type Sniffed =
  'png' | 'jpeg' | 'gif' | 'webp' | 'pdf' | 'zip' | 'executable' | 'binary' | 'text';

const starts = (bytes: Uint8Array, magic: number[], at = 0) =>
  bytes.length >= at + magic.length && magic.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Reads the magic numbers of the first bytes (4 KiB are plenty). */
export function sniff(bytes: Uint8Array): Sniffed {
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(bytes, ascii('GIF87a')) || starts(bytes, ascii('GIF89a'))) return 'gif';
  if (starts(bytes, ascii('RIFF')) && starts(bytes, ascii('WEBP'), 8)) return 'webp';
  if (starts(bytes, ascii('%PDF-'))) return 'pdf';
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04]) || starts(bytes, [0x50, 0x4b, 0x05, 0x06]))
    return 'zip';
  // PE (MZ), ELF, Mach-O (both byte orders, 32/64 bits and fat), shebang scripts.
  if (
    starts(bytes, ascii('MZ')) ||
    starts(bytes, [0x7f, 0x45, 0x4c, 0x46]) ||
    [
      [0xfe, 0xed, 0xfa, 0xce],
      [0xfe, 0xed, 0xfa, 0xcf],
      [0xce, 0xfa, 0xed, 0xfe],
      [0xcf, 0xfa, 0xed, 0xfe],
      [0xca, 0xfe, 0xba, 0xbe],
    ].some((m) => starts(bytes, m)) ||
    starts(bytes, ascii('#!'))
  ) {
    return 'executable';
  }
  return bytes.includes(0) ? 'binary' : 'text';
}

/** What the first bytes of each declared type must be. */
const EXPECTED: Record<string, Sniffed> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'zip',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'zip',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'zip',
  'application/vnd.oasis.opendocument.text': 'zip',
  'application/vnd.oasis.opendocument.spreadsheet': 'zip',
  'application/vnd.oasis.opendocument.presentation': 'zip',
};

/** `Image/PNG; charset=x` → `image/png`. */
export const baseType = (contentType: string | null | undefined) =>
  (contentType ?? '').split(';')[0].trim().toLowerCase();

/**
 * Why a file may not be kept, or null when it may: its declared type must be allowed, and its
 * first bytes must agree (a renamed .exe does not pass as png; text holds no NUL and no magic).
 * Types without a known signature pass when they do not look like a program.
 */
export function typeProblem(
  declared: string,
  allowed: readonly string[],
  head: Uint8Array,
): string | null {
  const type = baseType(declared);
  if (!allowed.includes(type)) return `Files of type ${type || '(none)'} are not accepted`;
  const found = sniff(head);
  const expected = EXPECTED[type];
  if (expected) return found === expected ? null : `This file is not a ${type} file`;
  if (type.startsWith('text/')) return found === 'text' ? null : `This file is not a ${type} file`;
  return found === 'executable' ? 'Programs are not accepted' : null;
}

/** Raster images are shown in the page; everything else is downloaded. */
export const INLINE_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
]);

/** A Content-Disposition header (RFC 6266) with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(contentType: string, fileName: string): string {
  const kind = INLINE_TYPES.has(baseType(contentType)) ? 'inline' : 'attachment';
  const fallback =
    fileName
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\%]/g, '_') || 'file';
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
