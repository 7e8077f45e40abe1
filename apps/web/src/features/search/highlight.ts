/**
 * The search page's highlighting: the API answers matching people, groups and posts but no
 * snippet, so the page marks the words that match the query the way the API's search does,
 * accent- and case-blind, by prefix ("elod" marks "Élodie") and by stem ("offices" marks
 * "office"). Plain text in, plain segments out: React draws them, no HTML is ever built.
 */
export interface Segment {
  text: string;
  hit: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower case, without accents, the way the API folds words. */
export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The query's words worth marking: folded, two letters or more (no "l" of "l'entreprise"). */
export function terms(query: string): string[] {
  const words = (query.match(WORD) ?? []).map(fold).filter((w) => w.length >= 2);
  return [...new Set(words)];
}

function matches(word: string, query: string[]): boolean {
  const w = fold(word);
  return query.some(
    (t) => w.startsWith(t) || (w.length >= 4 && t.startsWith(w) && t.length - w.length <= 3),
  );
}

/** The text cut into marked and unmarked runs. */
export function highlight(text: string, query: string[]): Segment[] {
  const out: Segment[] = [];
  const push = (s: string, hit: boolean) => {
    if (!s) return;
    const last = out.at(-1);
    if (last && last.hit === hit) last.text += s;
    else out.push({ text: s, hit });
  };
  let at = 0;
  for (const m of text.matchAll(WORD)) {
    push(text.slice(at, m.index), false);
    push(m[0], query.length > 0 && matches(m[0], query));
    at = m.index + m[0].length;
  }
  push(text.slice(at), false);
  return out;
}

/** A post's Markdown as one line of plain text: link targets, emphasis and headings dropped. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, ' ')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_~`]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** About `length` characters of the text around its first match, cut at words, with ellipses. */
export function excerpt(text: string, query: string[], length = 220): string {
  if (text.length <= length) return text;
  let first = 0;
  for (const m of text.matchAll(WORD)) {
    if (matches(m[0], query)) {
      first = m.index;
      break;
    }
  }
  let start = Math.max(0, Math.min(first - Math.floor(length / 3), text.length - length));
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let end = Math.min(text.length, start + length);
  if (end < text.length)
    end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  return `${start > 0 ? '… ' : ''}${text.slice(start, end).trim()}${end < text.length ? ' …' : ''}`;
}
