import { DEFAULT_PHASES } from '../../../src/config/schema';
import { renderRecap } from '../../../src/incident/render-recap';
import { renderText } from '../../../src/shell/render-text';
import { entry, incidentFixture } from './fixtures';

const config = {
  phases: DEFAULT_PHASES.map((p) => ({ ...p })),
  escalation: { ackTimeoutMs: 15 * 60_000, executiveAfterMs: 4 * 3_600_000 },
};
const incident = incidentFixture({ openedAt: '2026-03-31T22:00:00.000Z' });
const page = entry('page', '2026-03-31T22:00:00.000Z', {
  tier: 'primary',
  contact: 'infra-oncall',
  users: ['UPRIMARY'],
  reason: 'open',
});

describe('the recap’s time to acknowledge', () => {
  it('says the acknowledgement came from PagerDuty, by the name PagerDuty gives', () => {
    const ack = entry(
      'ack',
      '2026-03-31T22:04:00.000Z',
      { tier: 'primary', user: 'pagerduty:Jane Doe', paged: true },
      'PagerDuty',
    );
    const text = renderText(renderRecap(incident, [page, ack], config, new Date('2026-03-31T22:30:00Z')));
    expect(text).toContain('acknowledged in PagerDuty by Jane Doe after 4m');
  });

  it('says the acknowledgement came from Slack', () => {
    const ack = entry(
      'ack',
      '2026-03-31T22:02:00.000Z',
      { tier: 'primary', user: 'UPRIMARY', paged: true },
      'UPRIMARY',
    );
    const text = renderText(renderRecap(incident, [page, ack], config, new Date('2026-03-31T22:30:00Z')));
    expect(text).toContain('acknowledged in Slack by @UPRIMARY after 2m');
  });
});
