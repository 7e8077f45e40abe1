import {
  extractHashtags,
  extractMentions,
  isSingleEmoji,
  renderMarkdown,
} from './content.rules.js';

describe('renderMarkdown', () => {
  it.each([
    ['<script>alert(1)</script>hi', 'script'],
    ['<img src=x onerror=alert(1)>', 'onerror'],
    ['[x](javascript:alert(1))', 'javascript:'],
    ['<a href="JaVaScRiPt:alert(1)">x</a>', 'avascript'],
    ['<div style="x" onclick="y">z</div>', 'onclick'],
    ['<iframe src="https://evil"></iframe>', 'iframe'],
  ])('strips %s', (source, banned) =>
    expect(renderMarkdown(source).toLowerCase()).not.toContain(banned),
  );

  it('renders Markdown and marks links noopener nofollow', () => {
    expect(renderMarkdown('**bold** [site](https://acme.test)')).toBe(
      '<p><strong>bold</strong> <a href="https://acme.test" rel="noopener nofollow">site</a></p>',
    );
  });
});

describe('extraction', () => {
  it.each([
    ['Bonjour @marie.curie, et @Bob_2 !', ['marie.curie', 'bob_2']],
    ['mail me at jo@acme.test', []],
    ['@ab too short, @abc ok, @abc again', ['abc']],
  ])('mentions in %s', (s, expected) => expect(extractMentions(s)).toEqual(expected));

  it.each([
    ['#Été2025 et #réunion_équipe, #123 non, C#', ['été2025', 'réunion_équipe']],
    ['a&#39;b url/#anchor #ok', ['ok']],
    ['#Café #café', ['café']],
  ])('hashtags in %s', (s, expected) => expect(extractHashtags(s)).toEqual(expected));
});

describe('isSingleEmoji', () => {
  it.each([
    ['👍', true],
    ['👍🏽', true],
    ['🇫🇷', true],
    ['👩‍💻', true],
    ['❤️', true],
    ['a', false],
    ['👍👍', false],
    ['', false],
    [':)', false],
    ['1', false],
  ])('%s → %s', (value, ok) => expect(isSingleEmoji(value)).toBe(ok));
});
