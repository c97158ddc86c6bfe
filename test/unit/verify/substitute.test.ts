// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is the config's placeholder syntax, meant literally.
import { capturedNames, hasPlaceholder, parseTemplate } from '../../../src/config/template';
import { displayStepUrl, substitute } from '../../../src/verify/substitute';

describe('parseTemplate', () => {
  it('splits text, environment variables and captured values', () => {
    expect(parseTemplate('Bearer ${token} for ${env:VERIFY_USER}!')).toEqual({
      ok: true,
      parts: [
        { kind: 'text', text: 'Bearer ' },
        { kind: 'captured', name: 'token' },
        { kind: 'text', text: ' for ' },
        { kind: 'env', name: 'VERIFY_USER' },
        { kind: 'text', text: '!' },
      ],
    });
  });

  it.each([
    ['${}', '${}'],
    ['${ token }', '${ token }'],
    ['${env:}', '${env:}'],
    ['${env:A-B}', '${env:A-B}'],
    ['${data.token}', '${data.token}'],
    ['https://a/${id', '${id'],
  ])('refuses %s and names the bad placeholder', (template, bad) => {
    expect(parseTemplate(template)).toEqual({ ok: false, bad });
  });

  it('leaves text without placeholders alone', () => {
    expect(parseTemplate('{"prompt":"ping"}')).toEqual({
      ok: true,
      parts: [{ kind: 'text', text: '{"prompt":"ping"}' }],
    });
    expect(hasPlaceholder('{"prompt":"ping"}')).toBe(false);
    expect(hasPlaceholder('Bearer ${env:T}')).toBe(true);
  });

  it('lists the captured names a template reads, once each', () => {
    expect(capturedNames('${a}/${env:B}/${a}/${c}')).toEqual(['a', 'c']);
    expect(capturedNames('${ broken')).toEqual([]);
  });
});

describe('substitute', () => {
  const variables = {
    env: { VERIFY_USER: 'ops@example.com', EMPTY: '' },
    captured: new Map([['token', 'tok-123']]),
  };

  it('fills in both kinds of placeholder and reports the values it used as secrets', () => {
    expect(substitute('{"u":"${env:VERIFY_USER}","t":"${token}"}', variables)).toEqual({
      ok: true,
      text: '{"u":"ops@example.com","t":"tok-123"}',
      secrets: ['ops@example.com', 'tok-123'],
    });
  });

  it('names an unset environment variable, and treats an empty one as unset', () => {
    expect(substitute('${env:VERIFY_PASSWORD}', variables)).toEqual({
      ok: false,
      reason: 'environment variable VERIFY_PASSWORD is not set',
    });
    expect(substitute('${env:EMPTY}', variables)).toMatchObject({
      ok: false,
      reason: 'environment variable EMPTY is not set',
    });
  });

  it('names a value no earlier step captured', () => {
    expect(substitute('Bearer ${session}', variables)).toEqual({
      ok: false,
      reason: '${session} was not captured by an earlier step',
      missingCapture: 'session',
    });
  });
});

describe('displayStepUrl', () => {
  it.each([
    ['https://auth.example.com/api/login', 'https://auth.example.com/api/login'],
    ['https://auth.example.com/api/login?key=abc#frag', 'https://auth.example.com/api/login'],
    ['https://ops:pw@auth.example.com/x', 'https://auth.example.com/x'],
    ['https://a.example.com/users/${id}?token=${token}', 'https://a.example.com/users/${id}'],
    ['https://${env:HOST}/health', 'https://${env:HOST}/health'],
    ['https://ops:${env:PW}@a.example.com/x', 'https://a.example.com/x'],
  ])('shows %s as %s', (template, shown) => {
    expect(displayStepUrl(template)).toBe(shown);
  });
});
