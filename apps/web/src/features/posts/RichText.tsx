import { useMemo, type MouseEvent } from 'react';
import { useNavigate } from 'react-router';

/** The API's rules (libs/content/content.rules.ts): `@handle` and `#tag` not glued to a word. */
const MENTION = /(?<![\p{L}\p{N}_.@-])@([a-z0-9](?:[a-z0-9._-]{0,28}[a-z0-9])?)/giu;
const HASHTAG = /(?<![\p{L}\p{N}_&#/])#([\p{L}\p{M}\p{N}_]+)/gu;
const TOKEN = new RegExp(`${MENTION.source}|${HASHTAG.source}`, 'giu');

export const normalizeTag = (tag: string) => tag.replace(/^#/, '').normalize('NFC').toLowerCase();

/**
 * The API renders `@handle` and `#tag` as plain text: this turns the ones it recognised (the
 * post's mentions and hashtags) into in-app links, outside existing links and code.
 */
export function linkify(
  html: string,
  mentions: readonly string[] | null,
  hashtags: readonly string[] | null,
): string {
  if (!html.includes('@') && !html.includes('#')) return html;
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  const handles = mentions && new Set(mentions.map((m) => m.toLowerCase()));
  const tags = hashtags && new Set(hashtags.map(normalizeTag));
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement?.closest('a, code, pre')) texts.push(n as Text);
  }
  for (const text of texts) {
    const value = text.data;
    const parts: Node[] = [];
    let last = 0;
    for (const m of value.matchAll(TOKEN)) {
      const [whole, handle, tag] = m;
      let href: string | null = null;
      if (handle) {
        const h = handle.toLowerCase().replace(/[._-]+$/, '');
        if (!handles || handles.has(h)) href = `/people/${encodeURIComponent(h)}`;
      } else if (tag) {
        const t = normalizeTag(tag);
        if ((!tags || tags.has(t)) && /\p{L}/u.test(t)) href = `/tags/${encodeURIComponent(t)}`;
      }
      if (!href) continue;
      parts.push(doc.createTextNode(value.slice(last, m.index)));
      const a = doc.createElement('a');
      a.setAttribute('href', href);
      a.textContent = whole;
      parts.push(a);
      last = m.index + whole.length;
    }
    if (!parts.length) continue;
    parts.push(doc.createTextNode(value.slice(last)));
    text.replaceWith(...parts);
  }
  return doc.body.innerHTML;
}

/** Links to this app (`/people/x`, `/tags/y`, `/posts/z`) route in the page instead of reloading it. */
export function useInAppLinks() {
  const navigate = useNavigate();
  return (e: MouseEvent<HTMLElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
      return;
    const a = (e.target as HTMLElement).closest('a');
    const href = a?.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return;
    e.preventDefault();
    void navigate(href);
  };
}

/** Sanitized HTML from the API (or the preview), with mentions and hashtags as in-app links. */
export function RichText({
  html,
  mentions = null,
  hashtags = null,
  className = '',
}: {
  html: string;
  mentions?: readonly string[] | null;
  hashtags?: readonly string[] | null;
  className?: string;
}) {
  const linked = useMemo(
    () => linkify(html, mentions, hashtags),
    [html, mentions?.join(), hashtags?.join()],
  );
  const onClick = useInAppLinks();
  return (
    // A click on a link inside (the links are the interactive elements, not this container).
    <div
      className={`markdown break-words text-stone-900 ${className}`}
      onClick={onClick}
      dangerouslySetInnerHTML={{ __html: linked }}
    />
  );
}
