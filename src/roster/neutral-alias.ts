import { randomInt } from 'node:crypto';

// Crockford-style: no I, L, O or U, so a code read aloud is not mistaken for another.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The alias an erased recipient gets: random, so it says nothing about the person ("R-7F3K"). */
export function neutralAlias(): string {
  let code = '';
  for (let i = 0; i < 4; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `R-${code}`;
}
