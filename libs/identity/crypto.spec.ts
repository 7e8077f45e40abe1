import { hashPassword, passwordWeakness, sha256, verifyPassword } from './crypto.js';

describe('passwords', () => {
  it.each([
    ['short', 'at least 10'],
    ['password123', 'too easy'],
    ['azertyuiop', 'too easy'],
    ['alice.martin@acme.com', 'too easy'],
  ])('refuses %s', (pw, reason) => {
    expect(passwordWeakness(pw, ['alice.martin@acme.com', 'Alice Martin'])).toContain(reason);
  });

  it('accepts a passphrase', () => {
    expect(passwordWeakness('correct-horse-battery-staple-42', [])).toBeNull();
  });

  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct-horse-battery-staple-42');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    await expect(verifyPassword(hash, 'correct-horse-battery-staple-42')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'wrong')).resolves.toBe(false);
    await expect(verifyPassword(null, 'anything')).resolves.toBe(false);
  });

  it('hashes tokens to hex', () => expect(sha256('x')).toMatch(/^[0-9a-f]{64}$/));
});
