import { describe, expect, it } from '@jest/globals';
import { ReceiptPageCache } from '../../src/transparency/receipts/receipt-page-cache.js';

describe('receipt page cache', () => {
  const page = (n: number) => ({ body: Buffer.alloc(n, 'x') });

  it('keys a page by circle, position and size', () => {
    expect(ReceiptPageCache.key('c', 100n, 50)).not.toBe(ReceiptPageCache.key('c', 100n, 20));
    expect(ReceiptPageCache.key('c', 100n, 50)).not.toBe(ReceiptPageCache.key('d', 100n, 50));
    expect(ReceiptPageCache.key('c', 100n, 50)).not.toBe(ReceiptPageCache.key('c', 150n, 50));
  });

  it('stays within its byte budget, dropping the least recently used page first', () => {
    const cache = new ReceiptPageCache(300);
    cache.set('a', page(100));
    cache.set('b', page(100));
    cache.set('c', page(100));
    expect(cache.get('a')).toBeDefined(); // a is now the most recently used
    cache.set('d', page(100));
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')].every((p) => p?.body.length === 100)).toBe(true);
    expect(cache.size).toEqual({ pages: 3, bytes: 300 });
  });

  it('keeps nothing larger than the budget, and nothing at all with a budget of 0', () => {
    const small = new ReceiptPageCache(50);
    small.set('a', page(51));
    expect(small.size).toEqual({ pages: 0, bytes: 0 });
    const off = new ReceiptPageCache(0);
    off.set('a', page(1));
    expect(off.get('a')).toBeUndefined();
  });

  it('does not count a page twice when it is stored again', () => {
    const cache = new ReceiptPageCache(1000);
    cache.set('a', page(100));
    cache.set('a', page(100));
    expect(cache.size).toEqual({ pages: 1, bytes: 100 });
  });
});
