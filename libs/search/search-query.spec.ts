import { parseSearch, textTerms, toTsQuery } from './search-query.js';

describe('parseSearch', () => {
  it.each([
    ['Lyon bur', { words: ['lyon', 'bur'], lastIsPrefix: true }, 'lyon & bur:*'],
    ['Lyon bureau ', { words: ['lyon', 'bureau'], lastIsPrefix: false }, 'lyon & bureau'],
    [
      '"bureau de Lyon" ouvert',
      { phrases: [['bureau', 'de', 'lyon']], words: ['ouvert'] },
      'ouvert:* & (bureau <-> de <-> lyon)',
    ],
    ["l'entreprise", { words: ['l', 'entreprise'] }, 'l & entreprise:*'],
    ['Équipe', { words: ['equipe'] }, 'equipe:*'],
    [
      "x' & !y | (z:*) <-> --;DROP TABLE",
      { words: ['x', 'y', 'z', 'drop', 'table'] },
      'x & y & z & drop & table:*',
    ],
    [
      '#Événement @j.dupont café',
      { hashtags: ['événement'], handles: ['j.dupont'], words: ['cafe'] },
      'cafe:*',
    ],
  ])('%s', (raw, expected, tsquery) => {
    const parsed = parseSearch(raw);
    expect(parsed).toMatchObject(expected);
    expect(toTsQuery(parsed, { withTagsAsWords: false })).toBe(tsquery);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['only tsquery syntax', '*:& | !'],
    ['10,000 characters', 'x'.repeat(10000)],
    ['13 words', Array(13).fill('mot').join(' ')],
  ])('refuses %s with BAD_USER_INPUT on query', (_, raw) => {
    expect(() => parseSearch(raw)).toThrow(
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'query' }),
      }),
    );
  });

  it('gives each word and phrase as its own term, the last word as a prefix', () => {
    expect(textTerms(parseSearch('"bureau de Lyon" ouvert'))).toEqual([
      'ouvert:*',
      'bureau <-> de <-> lyon',
    ]);
    expect(textTerms(parseSearch("l'entreprise offices "))).toEqual(['l', 'entreprise', 'offices']);
    expect(textTerms(parseSearch('#lyon @j.dupont'))).toEqual([]);
  });

  it('counts tags and handles as words when asked', () => {
    expect(toTsQuery(parseSearch('#lyon @j.dupont'), { withTagsAsWords: true })).toBe(
      'lyon & j & dupont',
    );
  });
});
