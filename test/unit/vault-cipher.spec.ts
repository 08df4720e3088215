import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { VaultCipher } from '../../src/privacy/vault-cipher.js';

const MARKER = 'cashtag-$marker-7Q2X';

describe('VaultCipher', () => {
  const cipher = new VaultCipher(randomBytes(32));
  const recipient = randomUUID();
  const other = randomUUID();

  it('opens what it sealed, and seals the same text differently each time', () => {
    const key = cipher.newDataKey();
    const a = cipher.sealField(key, recipient, 'payoutHandle', MARKER);
    const b = cipher.sealField(key, recipient, 'payoutHandle', MARKER);
    expect(cipher.openField(key, recipient, 'payoutHandle', a)).toBe(MARKER);
    expect(a.equals(b)).toBe(false);
    expect(a.toString('latin1')).not.toContain(MARKER);
  });

  it('round-trips the data key through the master key', () => {
    const key = cipher.newDataKey();
    const wrapped = cipher.wrapKey(key, recipient);
    expect(wrapped.includes(key)).toBe(false);
    expect(cipher.unwrapKey(wrapped, recipient).equals(key)).toBe(true);
  });

  it('refuses a sealed field with any byte changed', () => {
    const key = cipher.newDataKey();
    const sealed = cipher.sealField(key, recipient, 'contact', MARKER);
    for (const at of [1, 14, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[at] ^= 0x01;
      expect(() => cipher.openField(key, recipient, 'contact', tampered)).toThrow('integrity');
    }
    expect(() => cipher.openField(key, recipient, 'contact', sealed.subarray(0, 20))).toThrow('integrity');
  });

  it('binds a sealed field to its recipient and its field name (no swapping rows or columns)', () => {
    const key = cipher.newDataKey();
    const sealed = cipher.sealField(key, recipient, 'contact', MARKER);
    expect(() => cipher.openField(key, other, 'contact', sealed)).toThrow('integrity');
    expect(() => cipher.openField(key, recipient, 'note', sealed)).toThrow('integrity');
  });

  it('binds a wrapped key to its recipient and to the master key', () => {
    const wrapped = cipher.wrapKey(cipher.newDataKey(), recipient);
    expect(() => cipher.unwrapKey(wrapped, other)).toThrow('integrity');
    expect(() => new VaultCipher(randomBytes(32)).unwrapKey(wrapped, recipient)).toThrow('integrity');
  });

  it('fails with fixed text that never quotes the data', () => {
    expect.assertions(2);
    const key = cipher.newDataKey();
    const sealed = cipher.sealField(key, recipient, 'note', MARKER);
    try {
      cipher.openField(cipher.newDataKey(), recipient, 'note', sealed);
      throw new Error('opened with the wrong key');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(MARKER);
      expect((error as { code?: string }).code).toBe('internal-error');
    }
  });

  it('names the master key by a fingerprint, not the key', () => {
    const master = randomBytes(32);
    const a = new VaultCipher(master);
    expect(a.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.keyId).toBe(new VaultCipher(Buffer.from(master)).keyId);
    expect(a.keyId).not.toBe(cipher.keyId);
    expect(master.toString('hex')).not.toContain(a.keyId);
    expect(() => new VaultCipher(randomBytes(16))).toThrow('32 bytes');
  });
});
