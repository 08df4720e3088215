import { describe, expect, it } from '@jest/globals';
import { canonicalJson, parseIdempotencyKey, requestFingerprint } from '../../src/common/idempotency/idempotency-request.js';

describe('Idempotency-Key parsing', () => {
  it('accepts 1–255 printable ASCII characters, bare or as a structured-field string', () => {
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"8e03978e-40d5"')).toBe('8e03978e-40d5');
    expect(parseIdempotencyKey('"say \\"hi\\" \\\\ bye"')).toBe('say "hi" \\ bye');
    expect(parseIdempotencyKey('k'.repeat(255))).toBe('k'.repeat(255));
    expect(parseIdempotencyKey('a b~!')).toBe('a b~!');
  });

  it('tells a missing header (undefined) from a malformed one (null)', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    for (const bad of ['', 'k'.repeat(256), 'naïve', 'tab\there', 'new\nline', '""', ['a', 'b']]) expect(parseIdempotencyKey(bad)).toBeNull();
  });
});

describe('request fingerprints', () => {
  it('ignore member order and undefined members, but nothing else', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson({ a: 1, skip: undefined })).toBe('{"a":1}');
    const fp = (body: unknown, path = '/v1/x', method = 'POST'): string => requestFingerprint(method, path, body);
    expect(fp({ direction: 'in', amount: 5 })).toBe(fp({ amount: 5, direction: 'in' }));
    expect(fp({ amount: 5 })).not.toBe(fp({ amount: 6 }));
    expect(fp({ amount: 5 })).not.toBe(fp({ amount: '5' }));
    expect(fp({ amount: 5 })).not.toBe(fp({ amount: 5 }, '/v1/y'));
    expect(fp({ amount: 5 })).not.toBe(fp({ amount: 5 }, '/v1/x', 'PUT'));
    expect(fp(undefined)).not.toBe(fp({}));
    expect(fp({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});
