import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Sizes bounded by DESIGN.md "Promises". */
export const LIMITS = {
  body: 20_000,
  pollOptions: 10,
  pollOptionLabel: 200,
  customUsers: 200,
  customGroups: 20,
  attachments: 10,
  mentions: 50,
  hashtags: 30,
  hashtag: 64,
  /** Different emoji one person puts on one post or comment. */
  reactionsPerPerson: 20,
} as const;

const markdown = new Marked({ gfm: true, breaks: true, async: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'strong',
    'em',
    'del',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  // No style, no on* handlers, no class or id: only these.
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener nofollow' } }),
  },
};

/** Markdown source → HTML safe to inject in a page: no script, no handler, no javascript: link. */
export function renderMarkdown(source: string): string {
  const html = markdown.parse(source) as string;
  return sanitizeHtml(html, SANITIZE).trim();
}

/** `@handle` not glued to a word or an address: "@marie.curie," → marie.curie. */
const MENTION = /(?<![\p{L}\p{N}_.@-])@([a-z0-9](?:[a-z0-9._-]{0,28}[a-z0-9])?)/giu;
/** `#tag` of Unicode letters, digits and _, holding at least one letter: "#Été2025" → été2025. */
const HASHTAG = /(?<![\p{L}\p{N}_&#/])#([\p{L}\p{M}\p{N}_]+)/gu;

/** The handles mentioned, lower-cased, in order of first appearance, at most LIMITS.mentions. */
export function extractMentions(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(MENTION)) {
    const handle = m[1].toLowerCase().replace(/[._-]+$/, '');
    if (handle.length >= 3) found.add(handle);
    if (found.size >= LIMITS.mentions) break;
  }
  return [...found];
}

/** A hashtag as stored and searched: NFC, lower-case (accents kept: #été is not #ete). */
export function normalizeTag(tag: string): string {
  return tag.replace(/^#/, '').normalize('NFC').toLowerCase();
}

export function extractHashtags(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(HASHTAG)) {
    const tag = normalizeTag(m[1]);
    if (!/\p{L}/u.test(tag) || tag.length > LIMITS.hashtag) continue;
    found.add(tag);
    if (found.size >= LIMITS.hashtags) break;
  }
  return [...found];
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
// The `v` flag (Node 20) knows every RGI emoji sequence; TypeScript's target does not, hence the constructor.
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Emoji_Presentation}/u;

/** Exactly one emoji grapheme: "👍", "👍🏽", "🇫🇷", "👩‍💻"; not "a", "👍👍" nor "" . */
export function isSingleEmoji(value: string): boolean {
  if (!value || value.length > 32) return false;
  const parts = [...graphemes.segment(value)];
  if (parts.length !== 1) return false;
  return RGI_EMOJI.test(value) || PICTOGRAPH.test(value);
}
