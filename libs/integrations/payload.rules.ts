/** The largest body an integration's URL accepts, in bytes. */
export const MAX_HOOK_BYTES = 64 * 1024;

export type Parsed = { ok: true; text: string } | { ok: false; field: string; message: string };

/** Slack's mrkdwn to Markdown: *bold*, _italic_, ~strike~, <url|label> and <url>. */
export function mrkdwnToMarkdown(s: string): string {
  return s
    .replace(/<(https?:\/\/[^|>\s]+)\|([^>]+)>/g, '[$2]($1)')
    .replace(/<(https?:\/\/[^|>\s]+)>/g, '$1')
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/g, '$1**$2**')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,!?:;])/g, '$1*$2*')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?:;])/g, '$1~~$2~~');
}

const textOf = (t: unknown): string | null => {
  if (!t || typeof t !== 'object') return null;
  const { type, text } = t as { type?: unknown; text?: unknown };
  if (typeof text !== 'string') return null;
  return type === 'mrkdwn' ? mrkdwnToMarkdown(text) : text;
};

/**
 * What an integration posts: `{ text }`, or a Slack-style payload whose `blocks` (section, header,
 * context, divider) become Markdown; the blocks win over `text`, which Slack treats as a fallback.
 */
export function parseHookPayload(body: unknown): Parsed {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { ok: false, field: 'body', message: 'Send a JSON object: { "text": "..." }' };
  const { text, blocks } = body as { text?: unknown; blocks?: unknown };
  if (text !== undefined && typeof text !== 'string')
    return { ok: false, field: 'text', message: 'text must be a string' };
  const parts: string[] = [];
  if (blocks !== undefined) {
    if (!Array.isArray(blocks) || blocks.length > 50)
      return { ok: false, field: 'blocks', message: 'blocks must be a list of at most 50 blocks' };
    for (const block of blocks as unknown[]) {
      if (!block || typeof block !== 'object')
        return { ok: false, field: 'blocks', message: 'each block must be an object' };
      const b = block as { type?: unknown; text?: unknown; fields?: unknown; elements?: unknown };
      if (b.type === 'divider') parts.push('---');
      else if (b.type === 'header') {
        const t = textOf(b.text);
        if (t) parts.push(`## ${t}`);
      } else if (b.type === 'section') {
        const t = textOf(b.text);
        if (t) parts.push(t);
        if (Array.isArray(b.fields))
          parts.push(...b.fields.map(textOf).filter((f): f is string => !!f));
      } else if (b.type === 'context' && Array.isArray(b.elements)) {
        const t = b.elements.map(textOf).filter(Boolean).join(' ');
        if (t) parts.push(`_${t}_`);
      }
    }
  }
  const markdown = parts.length ? parts.join('\n\n') : typeof text === 'string' ? text : '';
  if (!markdown.trim())
    return { ok: false, field: 'text', message: 'text (or a section block with text) is required' };
  return { ok: true, text: markdown };
}
