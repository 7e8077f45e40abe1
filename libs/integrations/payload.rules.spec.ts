import { mrkdwnToMarkdown, parseHookPayload } from './payload.rules.js';

describe('parseHookPayload', () => {
  it.each([
    [{ text: 'Build **green**' }, 'Build **green**'],
    [
      {
        text: 'fallback',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Deploy' } },
          {
            type: 'section',
            text: { type: 'mrkdwn', text: '*v2* is out: <https://x.test|notes>' },
          },
          { type: 'divider' },
        ],
      },
      '## Deploy\n\n**v2** is out: [notes](https://x.test)\n\n---',
    ],
  ])('%j', (body, text) => {
    expect(parseHookPayload(body)).toEqual({ ok: true, text });
  });

  it.each([
    [null, 'body'],
    [[1], 'body'],
    [{ text: 3 }, 'text'],
    [{ text: '  ' }, 'text'],
    [{ blocks: 'x' }, 'blocks'],
    [{ blocks: [{ type: 'image' }] }, 'text'],
  ])('refuses %j on %s', (body, field) => {
    expect(parseHookPayload(body)).toMatchObject({ ok: false, field });
  });

  it('turns mrkdwn into Markdown', () => {
    expect(mrkdwnToMarkdown('_it_ ~no~ <https://a.b>')).toBe('*it* ~~no~~ https://a.b');
  });
});
