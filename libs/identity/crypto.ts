import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

/** 256 random bits, URL-safe: refresh, verification, reset and invitation tokens. */
export const randomToken = () => randomBytes(32).toString('base64url');

/** Tokens are stored as their SHA-256: they carry 256 bits, so no slow hash is needed. */
export const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

const ARGON2 = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => argon2.hash(password, ARGON2);

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  // Without an account, still spend the time of a check so timing does not reveal addresses.
  if (!hash) {
    await argon2.hash(password, ARGON2);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary },
  graphs: common.adjacencyGraphs,
});

/** Null when the password is strong enough, else the reason (in English; the code is stable). */
export function passwordWeakness(password: string, userInputs: string[]): string | null {
  if (password.length < 10) return 'password must be at least 10 characters';
  if (password.length > 256) return 'password must be at most 256 characters';
  const result = zxcvbn.check(password.slice(0, 100), userInputs);
  if (result.score < 3)
    return 'password is too easy to guess: use a longer phrase or mix unrelated words';
  return null;
}
