import { canonicalJson, chainHash, GENESIS, type ChainedEvent } from './audit.chain.js';

const event: ChainedEvent = {
  id: '1',
  at: new Date('2026-01-01T00:00:00.000Z'),
  action: 'auth.sign-in',
  actorId: null,
  targetType: 'user',
  targetId: 'x',
  details: { b: 1, a: [{ d: 2, c: 3 }] },
  ip: '127.0.0.1',
};

describe('audit chain', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: { z: null, y: [1, 'x'] } }, '{"a":{"y":[1,"x"],"z":null}}'],
    [{ a: undefined, b: 'é' }, '{"b":"é"}'],
    [[3, { b: 1, a: 0 }], '[3,{"a":0,"b":1}]'],
  ])('canonicalJson(%j) = %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('hashes the same content the same way whatever the key order', () => {
    const reordered = { ...event, details: { a: [{ c: 3, d: 2 }], b: 1 } };
    expect(chainHash(GENESIS, reordered)).toBe(chainHash(GENESIS, event));
  });

  it.each([
    ['action', { action: 'auth.sign-out' }],
    ['details', { details: { b: 2, a: [{ d: 2, c: 3 }] } }],
    ['at', { at: new Date('2026-01-01T00:00:00.001Z') }],
    ['ip', { ip: null }],
  ])('changes when %s changes', (_, change) => {
    expect(chainHash(GENESIS, { ...event, ...change })).not.toBe(chainHash(GENESIS, event));
  });

  it('depends on the previous hash', () => {
    expect(chainHash('a'.repeat(64), event)).not.toBe(chainHash(GENESIS, event));
  });
});
