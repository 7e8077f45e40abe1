import { Sealer } from './seal.js';

describe('Sealer', () => {
  const sealer = new Sealer('a secret of some length', 'oidc-state');

  it('opens what it sealed', () => {
    expect(sealer.open(sealer.seal({ a: 1 }))).toEqual({ a: 1 });
  });

  it.each([
    ['changed', (s: string) => `${s.slice(0, -2)}${s.endsWith('A') ? 'B' : 'A'}A`],
    ['another purpose', (s: string) => new Sealer('a secret of some length', 'other').seal(s)],
    ['garbage', () => 'not-sealed'],
    ['empty', () => ''],
  ])('refuses a %s value', (_, spoil) => {
    expect(sealer.open(spoil(sealer.seal({ a: 1 })))).toBeUndefined();
  });
});
