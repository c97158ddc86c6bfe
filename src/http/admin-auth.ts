import { createHmac } from 'node:crypto';
import { bearerToken, sameSecret } from './bearer';
import { readCookie } from './http-server';

/** Where the queue dashboard lives; its cookie is sent only below it. */
export const ADMIN_PATH = '/admin/queues';
export const ADMIN_COOKIE = 'warroom_admin';
const COOKIE_MAX_AGE_S = 12 * 3600;

/** What an admin request may do, decided from its URL and headers alone. */
export type AdminDecision =
  | { kind: 'allow' }
  /** `?token=` was right: set the cookie and send the browser to the same URL without the token. */
  | { kind: 'redirect'; location: string; setCookie: string }
  | { kind: 'deny'; reason: string };

export interface AdminRequest {
  url: string;
  headers: { authorization?: string | undefined; cookie?: string | undefined; 'x-forwarded-proto'?: unknown };
}

/**
 * The cookie's value: an HMAC keyed with the token, so the cookie proves the token was shown without
 * carrying it (it cannot be turned back into the token), and changing the token logs everyone out.
 */
export function adminCookieValue(token: string): string {
  return createHmac('sha256', token).update('warroom admin session v1').digest('base64url');
}

/**
 * Accepts `Authorization: Bearer <token>`, the cookie, or `?token=<token>` once (answered with the
 * cookie and a redirect that drops the token from the address bar and history). Every comparison
 * takes the same time whatever the input.
 */
export function authorizeAdmin(request: AdminRequest, token: string): AdminDecision {
  const url = new URL(request.url, 'http://admin.invalid');
  const given = url.searchParams.get('token');
  if (given !== null) {
    if (!sameSecret(given, token)) return { kind: 'deny', reason: 'the token in the address is wrong' };
    url.searchParams.delete('token');
    return {
      kind: 'redirect',
      location: `${url.pathname}${url.search}`,
      setCookie: sessionCookie(token, request.headers['x-forwarded-proto'] === 'https'),
    };
  }
  const bearer = bearerToken(request.headers.authorization);
  if (bearer !== undefined) {
    return sameSecret(bearer, token)
      ? { kind: 'allow' }
      : { kind: 'deny', reason: 'the bearer token is wrong' };
  }
  const cookie = readCookie(request.headers.cookie, ADMIN_COOKIE);
  if (cookie !== undefined) {
    return sameSecret(cookie, adminCookieValue(token))
      ? { kind: 'allow' }
      : { kind: 'deny', reason: 'the session cookie is not valid (the token may have changed)' };
  }
  return { kind: 'deny', reason: 'no token was given' };
}

/** What a denied request is told: what to send instead, never what it sent. */
export function denialText(reason: string): string {
  return (
    `Forbidden: ${reason}. The queue dashboard needs WARROOM_ADMIN_TOKEN: send ` +
    `"Authorization: Bearer <token>", or open ${ADMIN_PATH}?token=<token> once in a browser.\n`
  );
}

function sessionCookie(token: string, secure: boolean): string {
  const attributes = [`Path=${ADMIN_PATH}`, 'HttpOnly', 'SameSite=Strict', `Max-Age=${COOKIE_MAX_AGE_S}`];
  if (secure) attributes.push('Secure');
  return [`${ADMIN_COOKIE}=${adminCookieValue(token)}`, ...attributes].join('; ');
}
