// Alerts refuse links unless an organizer allows them (docs/trust.md "Alerts").
import { describe, expect, it } from '@jest/globals';
import { containsLink } from '../../src/trust/link-detector.js';

describe('containsLink', () => {
  it.each([
    'see https://example.org/help',
    'www.example.org',
    'pay at cash.app/$Eastside',
    'new page: eastside-aid.com',
    'EASTSIDE-AID.ORG',
    'write to help@eastside.org',
    'ｅａｓｔｓｉｄｅ．ｏｒｇ',
    'eastside[.]org',
    'eastside(.)org',
    'eastside (dot) org',
    'eastside [dot] org',
    'eastside dot org',
    'eastside . org',
    'hxxps://eastside',
    'go to 10.0.0.1 now',
  ])('finds a link in %j', (text) => {
    expect(containsLink(text)).toBe(true);
  });

  it.each([
    'Someone is impersonating our Cash App. We only use the handles listed in the app.',
    'Our Cash App changed. Click nothing you are sent.',
    'We never ask for a fee, e.g. for a grant.',
    'Grants of $50.00 only, 1.5 times a year.',
    'Our handle is $EastsideAid',
    'Meeting at 6.30 on Thursday',
  ])('finds none in %j', (text) => {
    expect(containsLink(text)).toBe(false);
  });
});
