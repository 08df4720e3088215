import { describe, expect, it } from '@jest/globals';
import { endpointUrlProblem, isPublicAddress } from '../../src/integrations/webhooks/webhook-url.js';

describe('webhook addresses', () => {
  it('counts only public unicast addresses as public', () => {
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) expect(isPublicAddress(a)).toBe(true);
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '2002:7f00:1::1', 'not-an-ip']) {
      expect(isPublicAddress(a)).toBe(false);
    }
  });

  it('wants https without credentials, and a public literal address', () => {
    expect(endpointUrlProblem('https://hooks.example.org/arvut', false)).toBeNull();
    expect(endpointUrlProblem('https://93.184.216.34/x', false)).toBeNull();
    expect(endpointUrlProblem('http://hooks.example.org/arvut', false)).toMatch(/https/);
    expect(endpointUrlProblem('https://user:pw@hooks.example.org/', false)).toMatch(/password/);
    expect(endpointUrlProblem('https://192.168.0.10/', false)).toMatch(/public/);
    expect(endpointUrlProblem('https://[::1]/', false)).toMatch(/public/);
    expect(endpointUrlProblem('hooks.example.org', false)).toMatch(/absolute/);
  });

  it('lets WEBHOOK_ALLOW_PRIVATE allow http and private addresses, nothing else', () => {
    expect(endpointUrlProblem('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(endpointUrlProblem('ftp://127.0.0.1/hook', true)).toMatch(/https/);
  });
});
