import { ADMIN_COOKIE, adminCookieValue, authorizeAdmin, denialText } from '../../../src/http/admin-auth';

const TOKEN = 'f1e2d3c4b5a69788796a5b4c3d2e1f00';
const COOKIE = `${ADMIN_COOKIE}=${adminCookieValue(TOKEN)}`;

describe('authorizeAdmin', () => {
  it.each([
    ['the bearer token', '/admin/queues', { authorization: `Bearer ${TOKEN}` }],
    [
      'the bearer token, scheme in lower case',
      '/admin/queues/api/queues',
      { authorization: `bearer ${TOKEN}` },
    ],
    ['the session cookie', '/admin/queues/queue/diag', { cookie: `theme=dark; ${COOKIE}` }],
  ])('allows a request with %s', (_name, url, headers) => {
    expect(authorizeAdmin({ url, headers }, TOKEN)).toEqual({ kind: 'allow' });
  });

  it.each([
    ['no credentials', '/admin/queues', {}],
    ['a wrong bearer token', '/admin/queues', { authorization: 'Bearer nope' }],
    ['a token shorter by one character', '/admin/queues', { authorization: `Bearer ${TOKEN.slice(1)}` }],
    ['the token itself as the cookie', '/admin/queues', { cookie: `${ADMIN_COOKIE}=${TOKEN}` }],
    ['a wrong token in the address', `/admin/queues?token=nope`, {}],
    [
      'a Basic header',
      '/admin/queues',
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
    ],
  ])('denies a request with %s', (_name, url, headers) => {
    expect(authorizeAdmin({ url, headers }, TOKEN).kind).toBe('deny');
  });

  it('denies a wrong bearer token even with a valid cookie beside it', () => {
    const decision = authorizeAdmin(
      { url: '/admin/queues', headers: { authorization: 'Bearer nope', cookie: COOKIE } },
      TOKEN,
    );
    expect(decision.kind).toBe('deny');
  });

  it('turns ?token= into a cookie and a redirect to the same address without it', () => {
    const decision = authorizeAdmin(
      { url: `/admin/queues/queue/diag?token=${TOKEN}&page=2`, headers: {} },
      TOKEN,
    );
    if (decision.kind !== 'redirect') throw new Error(`expected a redirect, got ${decision.kind}`);
    expect(decision.location).toBe('/admin/queues/queue/diag?page=2');
    expect(decision.setCookie).toBe(
      `${COOKIE}; Path=/admin/queues; HttpOnly; SameSite=Strict; Max-Age=43200`,
    );
    expect(decision.setCookie).not.toContain(TOKEN);
  });

  it('marks the cookie Secure behind an HTTPS proxy', () => {
    const decision = authorizeAdmin(
      { url: `/admin/queues?token=${TOKEN}`, headers: { 'x-forwarded-proto': 'https' } },
      TOKEN,
    );
    expect(decision.kind === 'redirect' && decision.location).toBe('/admin/queues');
    expect(decision.kind === 'redirect' && decision.setCookie).toMatch(/; Secure$/);
  });

  it('makes a cookie that changes with the token', () => {
    expect(adminCookieValue(TOKEN)).not.toBe(adminCookieValue(`${TOKEN}x`));
    expect(adminCookieValue(TOKEN)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('explains a denial without repeating what was sent', () => {
    const decision = authorizeAdmin({ url: '/admin/queues?token=guess-123', headers: {} }, TOKEN);
    const text = decision.kind === 'deny' ? denialText(decision.reason) : '';
    expect(text).toContain('Authorization: Bearer <token>');
    expect(text).not.toContain('guess-123');
  });
});
