import type { GoogleErrorBody } from './google-error';

/** An API method's answer: an HTTP status and the JSON body. */
export type Answer = { status: number; body: unknown };

export const ok = (body: unknown): Answer => ({ status: 200, body });
export const fail = (body: GoogleErrorBody): Answer => ({ status: body.error.code, body });
