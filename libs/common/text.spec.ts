import { cleanLine, fold } from './text.js';
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
