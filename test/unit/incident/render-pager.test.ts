import type { ActionsBlock, Button } from '@slack/types';
import type { ChatMessage } from '../../../src/chat/message';
import type { Config } from '../../../src/config/schema';
import type { PagerReason } from '../../../src/incident/incident';
import {
  ACK_ACTION_ID,
  type ContactReach,
  pagerReasonText,
  parseAckValue,
  reachText,
  renderAckInChannel,
  renderAcknowledgedDm,
  renderPagerDm,
  renderPagerFailed,
  renderPagerInChannel,
  slackMention,
} from '../../../src/incident/render-pager';
import { renderText } from '../../../src/shell/render-text';
import { incidentFixture } from './fixtures';

const escalation: Config['escalation'] = { ackTimeoutMs: 15 * 60_000, executiveAfterMs: 4 * 3_600_000 };
const incident = incidentFixture({ channelId: 'C0INC1' });
const infra = { name: 'infra-oncall', note: 'Runbook: https://runbooks.example.com/staging-503' };

function ackButton(message: ChatMessage): Button {
  const actions = message.blocks?.find((b): b is ActionsBlock => b.type === 'actions');
  const button = actions?.elements.find((e): e is Button => e.type === 'button');
  if (!button) throw new Error('no button');
  return button;
}

describe('pagerReasonText', () => {
  it.each([
    ['open', undefined, 'incident opened'],
    ['timeout', undefined, 'no ack within 15m'],
    ['manual', 'regional problem suspected', 'manual: regional problem suspected'],
    ['manual', undefined, 'manual'],
    ['executive', undefined, 'open longer than 4h'],
  ] as [PagerReason, string | undefined, string][])('%s (%p) reads "%s"', (reason, why, expected) => {
    expect(pagerReasonText(reason, { escalation }, why)).toBe(expected);
  });

  it('words the timed reasons without numbers when it has no configuration', () => {
    expect(pagerReasonText('timeout')).toBe('no ack in time');
    expect(pagerReasonText('executive')).toBe('open longer than the executive threshold');
  });
});

describe('slackMention', () => {
  it.each([
    ['U0123ABCD', '<@U0123ABCD>'],
    ['W0123ABCD', '<@W0123ABCD>'],
    ['S0INFRA', '<!subteam^S0INFRA>'],
  ])('%s → %s', (id, expected) => expect(slackMention(id)).toBe(expected));
});

describe('renderPagerDm', () => {
  const dm = renderPagerDm(incident, 'primary', infra, '<#C0INC1>', 'open', { escalation });

  it('has an Acknowledge button that names the incident and tier', () => {
    const button = ackButton(dm);
    expect(button.action_id).toBe(ACK_ACTION_ID);
    expect(button.action_id).toBe('incident_ack');
    expect(button.style).toBe('primary');
    expect(JSON.parse(button.value ?? '')).toEqual({ incidentId: 'inc-1', tier: 'primary' });
    expect(parseAckValue(button.value ?? '')).toEqual({ incidentId: 'inc-1', tier: 'primary' });
  });

  it('says what, why, who leads and where to go, in the shell too', () => {
    const shell = renderText(dm);
    expect(shell).toContain('You are paged as *primary* (infra-oncall)');
    expect(shell).toContain('*P1 · staging* — Staging answers 503');
    expect(shell).toContain('Reason: incident opened');
    expect(shell).toContain('Commander @UCMDR1');
    expect(shell).toContain('join #C0INC1');
    expect(shell).toContain('*Note:* Runbook: https://runbooks.example.com/staging-503');
    expect(shell).toContain('[Acknowledge]');
  });

  it('carries the gist in its notification text', () => {
    expect(dm.text).toBe(
      'Paged (primary): P1 incident on staging — Staging answers 503 (incident opened). Acknowledge in Slack.',
    );
  });

  it('escapes markup in the title and the note', () => {
    const loud = renderPagerDm(
      { ...incident, title: '<!channel> 503 & :fire:' },
      'secondary',
      { name: 'gcp-support', note: 'Open a P1 case <here>' },
      '<#C0INC1>',
      'timeout',
      { escalation },
    );
    const raw = JSON.stringify(loud);
    expect(raw).not.toContain('<!channel>');
    expect(raw).toContain('&lt;!channel&gt; 503 &amp; :fire:');
    expect(raw).toContain('Open a P1 case &lt;here&gt;');
    expect(loud.text).toContain('(no ack within 15m)');
  });
});

describe('parseAckValue', () => {
  it.each([
    ['not JSON', 'inc-1'],
    ['null', 'null'],
    ['an unknown tier', JSON.stringify({ incidentId: 'inc-1', tier: 'boss' })],
    ['an id that cannot be a Redis key part', JSON.stringify({ incidentId: 'inc:1', tier: 'primary' })],
    ['a missing id', JSON.stringify({ tier: 'primary' })],
  ])('rejects %s', (_name, value) => expect(parseAckValue(value)).toBeUndefined());
});

describe('renderAcknowledgedDm', () => {
  it('replaces the button with who acknowledged and when', () => {
    const message = renderAcknowledgedDm(incident, 'primary', 'UALICE', '2026-03-31T22:04:00.000Z');
    expect(message.blocks?.some((b) => b.type === 'actions')).toBe(false);
    const shell = renderText(message);
    expect(shell).toContain('✅ Acknowledged by @UALICE at 2026-03-31 22:04:00 UTC');
    expect(shell).toContain('*P1 · staging* — Staging answers 503');
    expect(shell).not.toContain('[Acknowledge]');
    expect(message.text).toContain('Acknowledged by <@UALICE> (primary)');
  });
});

describe('renderPagerInChannel', () => {
  it.each([
    ['open', undefined, 'incident opened'],
    ['timeout', undefined, 'no ack within 15m'],
    ['manual', 'regional problem suspected', 'manual: regional problem suspected'],
    ['executive', undefined, 'open longer than 4h'],
  ] as [PagerReason, string | undefined, string][])(
    'mentions users and groups, reason %s',
    (reason, note, why) => {
      const message = renderPagerInChannel(incident, 'primary', ['U1'], ['S0INFRA'], reason, note, {
        contact: 'infra-oncall',
        escalation,
      });
      expect(message.text).toBe(`Paging *primary* (infra-oncall): <@U1> <!subteam^S0INFRA> — reason: ${why}`);
    },
  );

  it('shows the contact note for reasons other than manual, escaped', () => {
    const message = renderPagerInChannel(
      incident,
      'secondary',
      ['U2'],
      [],
      'open',
      'Open a case & call <them>',
    );
    expect(message.text).toBe('Paging *secondary*: <@U2> — reason: incident opened');
    expect(JSON.stringify(message.blocks)).toContain('Note: Open a case &amp; call &lt;them&gt;');
  });

  it('escapes broadcasts in the words of a manual page', () => {
    const message = renderPagerInChannel(incident, 'business', ['U3'], [], 'manual', '<!channel> now');
    expect(message.text).toContain('manual: &lt;!channel&gt; now');
  });

  it('says so when nobody could be mentioned', () => {
    expect(renderPagerInChannel(incident, 'executive', [], [], 'executive').text).toContain(
      '_nobody: no Slack users found_',
    );
  });

  it.each<[string, ContactReach, string]>([
    [
      'PagerDuty and a DM',
      { pagerDuty: { state: 'paged' }, dms: { sent: 1, failed: 0 } },
      'paged in PagerDuty, DM sent',
    ],
    [
      'PagerDuty still answering',
      { pagerDuty: { state: 'sending' }, dms: { sent: 2, failed: 0 } },
      'paging in PagerDuty…, 2 DMs sent',
    ],
    [
      'a PagerDuty failure',
      {
        pagerDuty: { state: 'failed', reason: 'HTTP 400: Event object is invalid' },
        dms: { sent: 1, failed: 1 },
      },
      'PagerDuty page failed (HTTP 400: Event object is invalid), DM sent, 1 could not be sent',
    ],
    ['PagerDuty alone', { pagerDuty: { state: 'paged' }, dms: { sent: 0, failed: 0 } }, 'paged in PagerDuty'],
    ['DMs alone', { dms: { sent: 3, failed: 0 } }, '3 DMs sent'],
    ['a DM that failed', { dms: { sent: 0, failed: 1 } }, 'DM could not be sent'],
  ])('says how the contact was reached: %s', (_, reach, words) => {
    expect(reachText(reach)).toBe(words);
    const message = renderPagerInChannel(incident, 'primary', ['U1'], [], 'open', undefined, { reach });
    expect(message.text).toBe(`Paging *primary*: <@U1> — reason: incident opened (${words})`);
    expect(JSON.stringify(message.blocks)).toContain(`P1 · staging · ${words}`);
  });

  it('mentions PagerDuty instead of nobody for a contact reached there alone', () => {
    const reach: ContactReach = { pagerDuty: { state: 'paged' }, dms: { sent: 0, failed: 0 } };
    expect(renderPagerInChannel(incident, 'secondary', [], [], 'open', undefined, { reach }).text).toBe(
      'Paging *secondary*: _in PagerDuty_ — reason: incident opened (paged in PagerDuty)',
    );
  });
});

describe('renderAckInChannel', () => {
  it.each([
    ['primary', 'U1', 192_000, true, '<@U1> acknowledged the *primary* page after 3m 12s.'],
    ['primary', 'U1', undefined, true, '<@U1> acknowledged the *primary* page.'],
    [
      'secondary',
      'U9',
      undefined,
      false,
      '<@U9> acknowledged the *secondary* page, but was not paged: this does not stop the escalation.',
    ],
    [
      undefined,
      'U9',
      undefined,
      false,
      '<@U9> acknowledged, but was not paged: this does not stop the escalation.',
    ],
  ] as const)('tier %p by %s after %p ms, paged %p', (tier, user, ms, paged, expected) => {
    const message = renderAckInChannel(tier, user, ms, paged);
    expect(message.text).toBe(expected);
    expect(renderText(message)).toContain('✅');
  });
});

describe('renderPagerFailed', () => {
  it('names the person and the error, and what to do', () => {
    const message = renderPagerFailed('primary', 'U1', 'user_not_found');
    expect(message.text).toBe('Could not page <@U1> (primary): user_not_found');
    expect(renderText(message)).toContain(
      '❌ Could not page @U1 (primary): user_not_found\nReach them another way',
    );
  });

  it('keeps only the first line of the error, escaped', () => {
    const message = renderPagerFailed('primary', 'U1', 'failed <x>\n    at stack (file.ts:1)');
    expect(message.text).toBe('Could not page <@U1> (primary): failed &lt;x&gt;');
  });
});
