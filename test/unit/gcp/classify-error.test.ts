import { classifyError } from '../../../src/gcp/classify-error';

const CONTEXT = {
  operation: 'updateService projects/acme-staging/locations/us-central1/services/backend',
  permission: 'run.services.update',
};
const PASSWORD = 'Hunter2-9f8e7d';
const DSN = `postgres://app:${PASSWORD}@10.20.0.3:5432/app`;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMifQ.c2lnbmF0dXJlLXBhcnQtaGVyZQ';

/** A gaxios error as googleapis throws it: Google's JSON body in `response.data`. */
const gaxios = (status: number, message: string) =>
  Object.assign(new Error(message), { response: { status, data: { error: { code: status, message } } } });

describe('a Google error as Warroom words it', () => {
  it.each<[string, unknown, string[]]>([
    [
      "an invalid-argument answer that echoes an env var's value",
      gaxios(400, `template.containers[0].env[0].value: "${DSN}" is not valid: password=${PASSWORD}`),
      [PASSWORD],
    ],
    [
      'a google-gax error whose message is the JSON body',
      Object.assign(
        new Error(JSON.stringify({ error: { code: 403, message: `denied for Bearer ${JWT}` } })),
        {
          code: 7,
        },
      ),
      [JWT],
    ],
    [
      'a network failure quoting a URL with a key',
      new TypeError('fetch failed', {
        cause: Object.assign(
          new Error('connect ECONNREFUSED https://run.googleapis.com/v2?access_token=ya29.abc'),
          {
            code: 'ECONNREFUSED',
          },
        ),
      }),
      ['ya29.abc'],
    ],
    [
      'a long message with a credential across the cut',
      gaxios(500, `${'x'.repeat(260)} Authorization: Bearer ${JWT}`),
      [JWT.slice(0, 12)],
    ],
  ])('carries no credential from %s', (_, error, secrets) => {
    const classified = classifyError(error, CONTEXT);
    for (const secret of secrets) expect(classified.message).not.toContain(secret);
    expect(classified.message).toContain('[redacted]');
    expect(classified.message.startsWith(CONTEXT.operation)).toBe(true);
  });

  it('keeps the kind, status and permission', () => {
    const classified = classifyError(
      gaxios(403, `Permission 'run.services.update' denied (token=${JWT})`),
      CONTEXT,
    );
    expect(classified).toMatchObject({
      kind: 'permission-denied',
      status: 403,
      permission: 'run.services.update',
    });
    expect(classified.message).not.toContain(JWT);
  });
});
