import { excerpt, highlight, plainText, terms } from './highlight';

const marked = (text: string, query: string) =>
  highlight(text, terms(query))
    .filter((s) => s.hit)
    .map((s) => s.text);

describe('search highlights', () => {
  it('mark words by prefix, accent- and case-blind', () => {
    expect(marked('Élodie Lefèvre', 'elod')).toEqual(['Élodie']);
    expect(marked('Élodie Lefèvre', 'LEFÈVRE')).toEqual(['Lefèvre']);
    expect(marked('Les entreprises lyonnaises', 'entrepr lyon')).toEqual([
      'entreprises',
      'lyonnaises',
    ]);
  });

  it('mark a shorter form of a query word, not every word sharing a letter', () => {
    expect(marked('Our office moved downtown', 'offices')).toEqual(['office']);
    expect(marked("Visite de l'entreprise jeudi", "l'entreprise")).toEqual(['entreprise']);
    expect(marked('a lot of love', 'l')).toEqual([]);
  });

  it('keep every character of the text, markup included, as plain text', () => {
    const text = '<img src=x onerror=alert(1)> lyon';
    const segments = highlight(text, terms('lyon'));
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(segments.at(-1)).toEqual({ text: 'lyon', hit: true });
  });

  it('treat query syntax as nothing', () => {
    expect(terms('& | ! :* ( ) <->')).toEqual([]);
    expect(highlight('lyon', [])).toEqual([{ text: 'lyon', hit: false }]);
  });

  it('cut a long post around its first match, and drop Markdown', () => {
    expect(plainText('**Bold** [link](https://x.example) `code`\n# Title')).toBe(
      'Bold link code Title',
    );
    const long = `${'word '.repeat(100)}budget ${'tail '.repeat(100)}`.trim();
    const cut = excerpt(long, terms('budget'), 100);
    expect(cut).toContain('budget');
    expect(cut.startsWith('… ')).toBe(true);
    expect(cut.endsWith(' …')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(106);
  });
});
