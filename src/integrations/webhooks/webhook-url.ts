import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Where webhooks may go. Only public unicast addresses: never loopback, private, link-local
 * (cloud metadata), multicast or reserved ranges, nor IPv6 forms that embed an IPv4 address,
 * so a webhook cannot be aimed at the server's own network. WEBHOOK_ALLOW_PRIVATE lifts this.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

/**
 * What is wrong with `url` as an endpoint, or null. Checked when an endpoint is saved; the
 * address a name resolves to is checked again at every delivery (webhook-sender.ts).
 */
export function endpointUrlProblem(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an absolute URL';
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) return 'url must use https';
  if (parsed.username || parsed.password) return 'url must not carry a user name or password';
  if (parsed.hash) return 'url must not have a fragment';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !allowPrivate && !isPublicAddress(host)) return 'url must point to a public address';
  return null;
}
