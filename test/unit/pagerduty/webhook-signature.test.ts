import { createHmac } from 'node:crypto';
import { checkPagerDutySignature, pagerDutySignature } from '../../../src/pagerduty/webhook-signature';

const SECRET = 'pd-webhook-secret-0123456789';
const BODY = Buffer.from('{"event":{"id":"01ABC","event_type":"incident.acknowledged"}}');
const hex = (secret: string, body: Buffer = BODY) => createHmac('sha256', secret).update(body).digest('hex');

describe('checkPagerDutySignature', () => {
  it.each<[string, string | string[] | undefined, ReturnType<typeof checkPagerDutySignature>]>([
    ['one matching signature', `v1=${hex(SECRET)}`, 'valid'],
    ['upper-case hex', `v1=${hex(SECRET).toUpperCase()}`, 'valid'],
    [
      'the match second of several (a secret being rotated)',
      `v1=${hex('old-secret')},v1=${hex(SECRET)}`,
      'valid',
    ],
    ['the match first of several, with spaces', ` v1=${hex(SECRET)} , v1=${hex('other')}`, 'valid'],
    ['a match beside a signature of a future version', `v2=abc,v1=${hex(SECRET)}`, 'valid'],
    ['a match beside bad hex', `v1=zz${hex(SECRET).slice(2)},v1=${hex(SECRET)}`, 'valid'],
    ['the header repeated', [`v1=${hex('other')}`, `v1=${hex(SECRET)}`], 'valid'],
    ['no header', undefined, 'missing'],
    ['an empty header', '', 'missing'],
    ['a signature with another secret', `v1=${hex('another-secret')}`, 'forged'],
    ['several signatures, none matching', `v1=${hex('a')},v1=${hex('b')}`, 'forged'],
    ['the signature of another body', `v1=${hex(SECRET, Buffer.from('{}'))}`, 'forged'],
    ['bad hex only', `v1=${'g'.repeat(64)}`, 'malformed'],
    ['a signature too short', `v1=${hex(SECRET).slice(0, 62)}`, 'malformed'],
    ['a signature too long', `v1=${hex(SECRET)}00`, 'malformed'],
    ['no version prefix', hex(SECRET), 'malformed'],
    ['another version only', `v0=${hex(SECRET)}`, 'malformed'],
    ['commas only', ',,', 'malformed'],
  ])('%s', (_, header, expected) => {
    expect(checkPagerDutySignature(BODY, header, SECRET)).toBe(expected);
  });

  it('signs as PagerDuty does, with each secret given', () => {
    expect(pagerDutySignature(BODY, SECRET, 'old')).toBe(`v1=${hex(SECRET)},v1=${hex('old')}`);
    expect(checkPagerDutySignature(BODY, pagerDutySignature(BODY, 'old', SECRET), SECRET)).toBe('valid');
  });

  it('checks the raw bytes: the same JSON written differently does not match', () => {
    const respaced = Buffer.from(BODY.toString().replace(':', ': '));
    expect(checkPagerDutySignature(respaced, pagerDutySignature(BODY, SECRET), SECRET)).toBe('forged');
  });
});
