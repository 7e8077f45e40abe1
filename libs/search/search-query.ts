import { badInput, fold } from '@ruche/common';

export const MAX_QUERY_LENGTH = 300;
const MAX_TERMS = 12;

/** What a person typed, understood: words, quoted phrases, #hashtags and @handles. */
export interface ParsedSearch {
  /** Folded words outside quotes, in order; the last one is matched as a prefix (typing). */
  words: string[];
  /** Folded words of each quoted phrase, matched next to each other. */
  phrases: string[][];
  hashtags: string[];
  handles: string[];
  /** Whether the last word is still being typed (no space or quote after it). */
  lastIsPrefix: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;
const fwords = (text: string) => fold(text).match(WORD) ?? [];

/**
 * Parses a search box. Only letters and digits ever reach tsquery, so its syntax (& | ! : * ( ) <->)
 * and SQL metacharacters are plain separators. Too long → BAD_USER_INPUT; nothing to search for →
 * BAD_USER_INPUT too (an empty query is a client mistake, not "everything").
 */
export function parseSearch(raw: string): ParsedSearch {
  if (raw.length > MAX_QUERY_LENGTH)
    throw badInput('query', `query must be at most ${MAX_QUERY_LENGTH} characters`);
  const phrases: string[][] = [];
  const rest = raw.replace(/["«“]([^"»”]*)["»”]?/g, (_, inner: string) => {
    const w = fwords(inner);
    if (w.length) phrases.push(w);
    return ' ';
  });
  const hashtags: string[] = [];
  const handles: string[] = [];
  const words: string[] = [];
  for (const token of rest.split(/\s+/).filter(Boolean)) {
    const tag = /^#([\p{L}\p{N}_]+)$/u.exec(token);
    const handle = /^@([a-z0-9._-]+)$/i.exec(token);
    // As content stores them: NFC, lower-case, accents kept (#été is not #ete).
    if (tag) hashtags.push(tag[1].normalize('NFC').toLowerCase());
    else if (handle) handles.push(handle[1].toLowerCase());
    else words.push(...fwords(token));
  }
  const total = words.length + phrases.flat().length + hashtags.length + handles.length;
  if (total === 0) throw badInput('query', 'Type a word to search for');
  if (total > MAX_TERMS) throw badInput('query', `Search for at most ${MAX_TERMS} words`);
  const lastIsPrefix = words.length > 0 && /[\p{L}\p{N}]$/u.test(raw) && !/["»”]\s*$/.test(raw);
  return { words, phrases, hashtags, handles, lastIsPrefix };
}

/**
 * A tsquery over the words and phrases (AND), the last word as a prefix while typing. Hashtags
 * and handles count as words here (a person named in a post, a tag in a group's name).
 */
export function toTsQuery(p: ParsedSearch, opts: { withTagsAsWords: boolean }): string | null {
  const words = [...p.words];
  const parts: string[] = [];
  words.forEach((w, i) => parts.push(i === words.length - 1 && p.lastIsPrefix ? `${w}:*` : w));
  for (const phrase of p.phrases)
    parts.push(phrase.length > 1 ? `(${phrase.join(' <-> ')})` : phrase[0]);
  if (opts.withTagsAsWords) for (const t of [...p.hashtags, ...p.handles]) parts.push(...fwords(t));
  return parts.length ? parts.join(' & ') : null;
}

/**
 * The text terms of a post search, each a to_tsquery input of letters, digits, `<->` and a final
 * `:*`: every word (the last as a prefix while typing) and every quoted phrase. The service turns
 * each into French and English lexemes and drops a term that is a stop word in either language.
 */
export function textTerms(p: ParsedSearch): string[] {
  const terms = p.words.map((w, i) => (i === p.words.length - 1 && p.lastIsPrefix ? `${w}:*` : w));
  for (const phrase of p.phrases) terms.push(phrase.join(' <-> '));
  return terms;
}
