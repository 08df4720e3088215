// The HTTP side of a delivery against misbehaving receivers on loopback.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_RESPONSE_BYTES, sendWebhook } from '../../src/integrations/webhooks/webhook-sender.js';

describe('sendWebhook', () => {
  let server: Server;
  let base: string;
  let streamed = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/endless') {
        res.writeHead(200);
        const more = () => {
          if (res.destroyed) return;
          streamed += 16_384;
          res.write(Buffer.alloc(16_384, 97), () => setImmediate(more));
        };
        return more();
      }
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const result = await sendWebhook(`${base}/hang`, {}, '{}', true, 300);
    expect(result).toMatchObject({ ok: false, status: null, error: 'no response within 0.3 s' });
    expect(result.durationMs).toBeLessThan(2_000);
  });

  it('stops reading a response after 64 KB', async () => {
    const result = await sendWebhook(`${base}/endless`, {}, '{}', true, 5_000);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.body).toHaveLength(1024);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(streamed).toBeLessThan(MAX_RESPONSE_BYTES * 8);
  });

  it('refuses a loopback receiver unless private addresses are allowed', async () => {
    expect(await sendWebhook(`${base}/ok`, {}, '{}', false)).toMatchObject({ ok: false, error: 'the host resolves to an address that is not public' });
    expect(await sendWebhook(`${base}/ok`, {}, '{}', true)).toMatchObject({ ok: true, status: 204 });
  });
});
