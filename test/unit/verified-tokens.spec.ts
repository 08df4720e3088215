import { describe, expect, it } from '@jest/globals';
import { rememberVerifiedTokens, type TokenVerifier } from '../../src/auth/verified-tokens.js';

/** A stand-in for jsonwebtoken: "good.<exp>" passes (until exp, in seconds), anything else fails. */
function fakeVerifier(clock: { ms: number }): { verify: TokenVerifier; calls: string[] } {
  const calls: string[] = [];
  const verify: TokenVerifier = (token, _key, _options, callback) => {
    calls.push(token);
    const [kind, exp] = token.split('.');
    if (kind !== 'good') return callback(new Error('invalid signature'));
    if (clock.ms >= Number(exp) * 1000) return callback(new Error('jwt expired'));
    callback(null, { sub: 'u', exp: Number(exp) });
  };
  return { verify, calls };
}

const check = (verify: TokenVerifier, token: string, key: object) =>
  new Promise<{ error: Error | null; payload?: Record<string, unknown> }>((resolve) => verify(token, key, {}, (error, payload) => resolve({ error, payload })));

describe('verified access tokens', () => {
  it('checks a genuine token once while it lives, and again (refused) once it has expired', async () => {
    const clock = { ms: 1_000_000 };
    const { verify, calls } = fakeVerifier(clock);
    const remembering = rememberVerifiedTokens(verify, 100, () => clock.ms);
    const key = {};
    expect((await check(remembering, 'good.2000', key)).error).toBeNull();
    expect((await check(remembering, 'good.2000', key)).payload).toEqual({ sub: 'u', exp: 2000 });
    expect(calls).toEqual(['good.2000']);
    clock.ms = 2_000_000;
    expect((await check(remembering, 'good.2000', key)).error?.message).toBe('jwt expired');
    expect(calls).toEqual(['good.2000', 'good.2000']);
  });

  it('never remembers a refusal, and keeps what one key passed apart from another key', async () => {
    const clock = { ms: 0 };
    const { verify, calls } = fakeVerifier(clock);
    const remembering = rememberVerifiedTokens(verify, 100, () => clock.ms);
    const [a, b] = [{}, {}];
    await check(remembering, 'bad.1', a);
    expect((await check(remembering, 'bad.1', a)).error?.message).toBe('invalid signature');
    await check(remembering, 'good.5', a);
    await check(remembering, 'good.5', b);
    expect(calls).toEqual(['bad.1', 'bad.1', 'good.5', 'good.5']);
  });

  it('keeps at most the given number of tokens, dropping the oldest', async () => {
    const { verify, calls } = fakeVerifier({ ms: 0 });
    const remembering = rememberVerifiedTokens(verify, 2, () => 0);
    const key = {};
    for (const token of ['good.1', 'good.2', 'good.3', 'good.3', 'good.2', 'good.1']) await check(remembering, token, key);
    expect(calls).toEqual(['good.1', 'good.2', 'good.3', 'good.1']);
  });
});
