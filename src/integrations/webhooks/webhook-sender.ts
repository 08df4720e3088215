import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from './webhook-url.js';

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** The most of a response body read; the rest is not waited for. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** The most of a response body kept in the delivery log. */
export const LOGGED_BODY_CHARS = 1024;

export interface SendResult {
  ok: boolean;
  status: number | null;
  body: string | null;
  /** A fixed text when there was no acceptable response; never the receiver's own words. */
  error: string | null;
  durationMs: number;
}

/**
 * One POST of a webhook. The host name is resolved here and every address it resolves to
 * must be public (unless allowPrivate); the connection then goes to the address that was
 * checked, never to a second lookup, so a name that rebinds between check and use cannot
 * reach the internal network. No redirect is followed (a 3xx is a failure), the whole
 * exchange has 10 s, and at most 64 KB of the response is read.
 */
export async function sendWebhook(url: string, headers: Record<string, string>, body: string, allowPrivate: boolean, timeoutMs: number = WEBHOOK_TIMEOUT_MS): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Omit<SendResult, 'durationMs'>): SendResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return done({ ok: false, status: null, body: null, error: 'the host name does not resolve' });
  }
  if (addresses.length === 0) return done({ ok: false, status: null, body: null, error: 'the host name does not resolve' });
  if (!allowPrivate && addresses.some((a) => !isPublicAddress(a.address))) {
    return done({ ok: false, status: null, body: null, error: 'the host resolves to an address that is not public' });
  }
  const { address, family } = addresses[0];
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(done(r));
    };
    const req = send(
      target,
      { method: 'POST', lookup: pinned, headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'arvut-webhooks' } },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const result = () => {
          const text = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8').slice(0, LOGGED_BODY_CHARS);
          const status = res.statusCode ?? null;
          const ok = status !== null && status >= 200 && status < 300;
          return { ok, status, body: text || null, error: ok ? null : status !== null && status >= 300 && status < 400 ? 'redirects are not followed' : null };
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_RESPONSE_BYTES) finish(result());
        });
        res.on('end', () => finish(result()));
        res.on('error', () => finish(result()));
      },
    );
    const timer = setTimeout(() => finish({ ok: false, status: null, body: null, error: `no response within ${timeoutMs / 1000} s` }), timeoutMs);
    req.on('error', () => finish({ ok: false, status: null, body: null, error: 'the connection failed' }));
    req.end(body);
  });
}
