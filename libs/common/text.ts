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
