/** Lower-case, accents removed: how names are compared and searched. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Trims and collapses inner white space; empty becomes null. */
export function cleanLine(text: string | null | undefined): string | null {
  if (text === undefined || text === null) return null;
  const cleaned = text.replace(/\s+/g, ' ').trim();
  return cleaned === '' ? null : cleaned;
}

/** Splits folded text into searchable words (letters and digits only). */
export const words = (text: string) =>
  fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** A prefix query over every word typed: "jea dup" matches "Jean Dupont" (at most 8 words). */
export function toPrefixQuery(query: string): string | null {
  const terms = words(query).slice(0, 8);
  return terms.length ? terms.map((t) => `${t}:*`).join(' & ') : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are UUIDs: anything else is "not found", never a database error. */
export const isUuid = (id: string) => UUID.test(id);

// C0 controls but TAB, LF and CR: PostgreSQL refuses NUL in text, and nobody types the others.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
/** Whether text holds a control character other than tab and line breaks (refused in any argument). */
export const hasControlCharacter = (text: string) => CONTROL.test(text);

/** Lone UTF-16 surrogates replaced by U+FFFD: PostgreSQL's json and jsonb refuse them. */
export function wellFormed(text: string): string {
  return text.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}
