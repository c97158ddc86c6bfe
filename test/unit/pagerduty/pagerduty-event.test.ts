import type { Severity } from '../../../src/incident/incident';
import {
  dedupKeyFor,
  followUpEvent,
  pagerDutySeverity,
  pagerDutySummary,
  SUMMARY_MAX,
  triggerEvent,
} from '../../../src/pagerduty/pagerduty-event';
import { problems } from '../../../src/simulator/pagerduty-stand-in';
import { incidentFixture } from '../incident/fixtures';

const KEY = 'e93facc04764012d7bfb002500d5d1a6';
const CHANNEL_URL = 'https://slack.com/app_redirect?channel=C1';

describe('the Events API v2 trigger', () => {
  it.each<[Severity, string]>([
    ['P0', 'critical'],
    ['P1', 'critical'],
    ['P2', 'error'],
    ['P3', 'warning'],
  ])('maps %s to %s', (severity, expected) => {
    expect(pagerDutySeverity(severity)).toBe(expected);
    expect(
      triggerEvent(incidentFixture({ severity }), {
        routingKey: KEY,
        contact: 'infra',
        channelUrl: CHANNEL_URL,
      }).payload.severity,
    ).toBe(expected);
  });

  it('carries the key, a stable dedup_key, the summary, source, time and the details PagerDuty shows', () => {
    const incident = incidentFixture({ id: 'inc-abc', phase: 'restoration', commander: 'U0CMDR' });
    const event = triggerEvent(incident, {
      routingKey: KEY,
      contact: 'infra-oncall',
      latestVerdict: 'connector-down — the VPC connector is down',
      channelUrl: CHANNEL_URL,
    });
    expect(event).toEqual({
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: 'warroom-inc-abc-infra-oncall',
      client: 'Warroom',
      links: [{ href: CHANNEL_URL, text: 'Slack channel #inc-staging-503' }],
      payload: {
        summary: '[P1 · staging] Staging answers 503',
        source: 'warroom/staging',
        severity: 'critical',
        timestamp: '2026-03-31T22:00:00.000Z',
        component: 'staging',
        custom_details: {
          incident: 'inc-abc',
          title: 'Staging answers 503',
          phase: 'restoration',
          latest_verdict: 'connector-down — the VPC connector is down',
          commander: 'U0CMDR',
        },
      },
    });
    expect(problems(event as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('links to the incident page too when the pages are on', () => {
    const pageUrl = 'https://warroom.example.com/incidents/inc-1?t=signed';
    const event = triggerEvent(incidentFixture(), {
      routingKey: KEY,
      contact: 'x',
      channelUrl: CHANNEL_URL,
      pageUrl,
    });
    expect(event.links.map((l) => l.href)).toEqual([CHANNEL_URL, pageUrl]);
    expect(event.client_url).toBe(pageUrl);
  });

  it('says "none yet" when nothing was diagnosed', () => {
    const event = triggerEvent(incidentFixture(), { routingKey: KEY, contact: 'x', channelUrl: CHANNEL_URL });
    expect(event.payload.custom_details.latest_verdict).toBe('none yet');
  });

  it.each([
    ['a short title', 'short', '[P1 · staging] short'],
    [
      'a title of exactly the limit',
      'x'.repeat(SUMMARY_MAX - 16),
      `[P1 · staging] ${'x'.repeat(SUMMARY_MAX - 16)}`,
    ],
  ])('keeps %s whole', (_, title, expected) => {
    expect(pagerDutySummary(incidentFixture({ title }))).toBe(expected);
  });

  it.each([
    ['a long title', 'y'.repeat(5000)],
    ['a long title of emoji', '🔥'.repeat(3000)],
  ])('cuts %s to 1024 characters, on a character boundary', (_, title) => {
    const summary = pagerDutySummary(incidentFixture({ title }));
    expect(summary.length).toBeLessThanOrEqual(SUMMARY_MAX);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('dedup keys and follow-ups', () => {
  it('is the same for the same incident and contact, and differs per contact', () => {
    expect(dedupKeyFor('inc-1', 'infra')).toBe(dedupKeyFor('inc-1', 'infra'));
    expect(dedupKeyFor('inc-1', 'infra')).not.toBe(dedupKeyFor('inc-1', 'support'));
  });

  it('stays within 255 characters for a very long contact name', () => {
    const key = dedupKeyFor('inc-1', 'c'.repeat(400));
    expect(key.length).toBeLessThanOrEqual(255);
    expect(key).toMatch(/^warroom-inc-1-[0-9a-f]{32}$/);
  });

  it.each(['acknowledge', 'resolve'] as const)('%s names only the key and the dedup_key', (action) => {
    const event = followUpEvent(action, KEY, 'warroom-inc-1-infra');
    expect(event).toEqual({ routing_key: KEY, event_action: action, dedup_key: 'warroom-inc-1-infra' });
    expect(problems(event as unknown as Record<string, unknown>)).toEqual([]);
  });
});
