// The normalization the duplicate checks and handle checks rely on (docs/trust.md "Normalization").
import { describe, expect, it } from '@jest/globals';
import { identityValues, normalizeEmail, normalizeHandle, normalizePhone } from '../../src/privacy/identity-normalize.js';

describe('normalizeHandle', () => {
  it.each([
    ['$EastsideAid', 'eastsideaid'],
    ['  $eastside aid ', 'eastsideaid'],
    ['@EASTSIDEAID', 'eastsideaid'],
    ['$$eastsideaid', 'eastsideaid'],
    ['ｅａｓｔｓｉｄｅ\u200bａｉｄ', 'eastsideaid'],
    ['\teast\nside aid', 'eastsideaid'],
    ['@jo-venmo-1', 'jo-venmo-1'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeHandle(input)).toBe(expected);
  });

  it('keeps what tells look-alikes apart: digits, dashes, dots and a $ or @ inside', () => {
    const official = normalizeHandle('$EastsideAid');
    for (const lookAlike of ['$EastsideAid2', '$Eastside-Aid', '$Eastside.Aid', '$EastsideAld', 'east$sideaid']) expect([lookAlike, normalizeHandle(lookAlike)]).not.toEqual([lookAlike, official]);
  });

  it('gives null when nothing is left', () => {
    for (const empty of ['', '   ', '$', '@@', ' $ ']) expect(normalizeHandle(empty)).toBeNull();
  });
});

describe('normalizePhone', () => {
  it('compares the last ten digits, so country codes and international prefixes agree', () => {
    for (const written of ['+1 (555) 010-2000', '555.010.2000', '5550102000', '0015550102000', '1-555-010-2000', '+1 555 010 2000']) expect([written, normalizePhone(written)]).toEqual([written, '5550102000']);
  });

  it('keeps shorter numbers whole', () => {
    expect(normalizePhone('010 2000')).toBe('0102000');
  });

  it('is not a phone: letters, too few or too many digits', () => {
    for (const text of ['call 555 010 2000', '$5550102000', '123456', '1234567890123456', 'sam@example.org', '']) expect([text, normalizePhone(text)]).toEqual([text, null]);
  });
});

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Sam@Example.ORG ')).toBe('sam@example.org');
  });

  it('is not an email without one @, a dot in the domain, or with spaces', () => {
    for (const text of ['sam', 'sam@example', 'sam@@example.org', 'sam smith@example.org', '@example.org']) expect([text, normalizeEmail(text)]).toEqual([text, null]);
  });
});

describe('identityValues', () => {
  it('digests a payout handle as a handle, and as a phone or email when it is one; the contact as a phone or email', () => {
    expect(identityValues({ payoutHandle: '$Maria', contact: '+1 555 010 2000' })).toEqual([
      { kind: 'handle', value: 'maria' },
      { kind: 'phone', value: '5550102000' },
    ]);
    expect(identityValues({ payoutHandle: 'Maria@Example.org', contact: 'maria@example.org' })).toEqual([
      { kind: 'handle', value: 'maria@example.org' },
      { kind: 'email', value: 'maria@example.org' },
    ]);
    expect(identityValues({ payoutHandle: '555-010-2000', contact: null })).toEqual([
      { kind: 'handle', value: '555-010-2000' },
      { kind: 'phone', value: '5550102000' },
    ]);
  });

  it('compares nothing from a contact that is neither a phone nor an email, nor from nothing', () => {
    expect(identityValues({ payoutHandle: null, contact: 'ask at the laundromat' })).toEqual([]);
    expect(identityValues({ payoutHandle: null, contact: null })).toEqual([]);
  });
});
