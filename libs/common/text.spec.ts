import { cleanLine, fold, hasControlCharacter, isUuid, toPrefixQuery } from './text.js';
import { decodeCursor, encodeCursor, toPage } from './pagination.js';

describe('fold', () => {
  it.each([
    ['Élodie', 'elodie'],
    ['FRANÇOIS', 'francois'],
    ['Zoë Ærø', 'zoe ærø'],
    ['ﬁne', 'fine'],
  ])('%s → %s', (input, expected) => expect(fold(input)).toBe(expected));
});

describe('cleanLine', () => {
  it.each([
    ['  a   b ', 'a b'],
    ['   ', null],
    [null, null],
  ])('%p → %p', (input, expected) => expect(cleanLine(input)).toBe(expected));
});

describe('cursors', () => {
  it('round-trips', () => {
    expect(decodeCursor(encodeCursor(['a', 1]), 2)).toEqual(['a', 1]);
  });
  it.each(['garbage', encodeCursor(['a']), encodeCursor([{}, 1] as never)])('refuses %s', (c) => {
    expect(() => decodeCursor(c, 2)).toThrow('Invalid cursor');
  });
  it('pages with one extra row', () => {
    const page = toPage([1, 2, 3], 2, (n) => [n]);
    expect(page.nodes).toEqual([1, 2]);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([2]) });
    expect(toPage([1], 2, (n) => [n]).pageInfo.hasNextPage).toBe(false);
  });
});

describe('toPrefixQuery', () => {
  it.each([
    ['Jéan  DUP', 'jean:* & dup:*'],
    ["o'brien & | !", 'o:* & brien:*'],
    ['  ', null],
    ['*:&', null],
  ])('%p → %p', (q, expected) => expect(toPrefixQuery(q)).toBe(expected));

  it('keeps at most 8 words', () =>
    expect(toPrefixQuery('a b c d e f g h i j')?.split(' & ')).toHaveLength(8));
});

describe('isUuid', () => {
  it.each([
    ['1b4e28ba-2fa1-11d2-883f-0016d3cca427', true],
    ['1B4E28BA-2FA1-11D2-883F-0016D3CCA427', true],
    ["1b4e28ba-2fa1-11d2-883f-0016d3cca427' OR 1=1", false],
    ['42', false],
  ])('%s → %s', (id, ok) => expect(isUuid(id)).toBe(ok));
});

describe('hasControlCharacter', () => {
  it.each([
    ['plain text', false],
    ['lines\r\nand\ttabs\n', false],
    ['é 😀 \u202e \u007f \u0085', false],
    ['\u0000', true],
    ['a\u0001b', true],
    ['bell\u0007', true],
    ['vertical\u000btab', true],
    ['form\u000cfeed', true],
    ['esc\u001b[31m', true],
    ['\u001f', true],
  ])('%j → %s', (text, found) => expect(hasControlCharacter(text)).toBe(found));
});
