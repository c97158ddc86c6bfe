import { answerReason } from '../../../src/pagerduty/pagerduty-events';

describe('answerReason', () => {
  it('quotes PagerDuty’s message and errors', () => {
    const body = JSON.stringify({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"],
    });
    expect(answerReason(400, body)).toBe(
      "HTTP 400: Event object is invalid (Length of 'routing_key' is incorrect (should be 32 characters))",
    );
  });

  it.each([
    ['an HTML error page', '<html>502 Bad Gateway</html>', 502, 'HTTP 502'],
    ['an empty body', '', 500, 'HTTP 500'],
    ['JSON without a message', '{"status":"error"}', 429, 'HTTP 429'],
  ])('gives the status alone for %s', (_, body, status, expected) => {
    expect(answerReason(status, body)).toBe(expected);
  });

  it('keeps a long answer short', () => {
    expect(answerReason(400, JSON.stringify({ message: 'm'.repeat(2000) })).length).toBeLessThanOrEqual(300);
  });
});
