import { expect } from '@jest/globals';
import type { CloudSimulator } from '../../../src/simulator/cloud-simulator';
import type { FakeSlack } from '../../support/fake-slack';
import { postSlashCommand, SLACK_TEST_IDS } from '../../support/slack-signing';
import { SIGNING_SECRET, type TestWarroom, waitUntilIdle } from '../../support/test-warroom';

export const RESPONDER = SLACK_TEST_IDS.userId;
export const APPROVER = 'U0APPROVER';
export const ONCALL = 'U0ONCALL';

/** Contacts and access for the life of an incident: one primary on-call, one approver. */
export const LIFE_CONFIG = [
  `contacts:\n  infra: { tier: primary, slack: [${ONCALL}] }\n  google: { tier: secondary, slack: [U0GOOGLE] }`,
  'escalation: { ackTimeout: 30s }',
  `access: { responders: [${RESPONDER}, ${ONCALL}], approvers: [${APPROVER}] }`,
].join('\n');

/**
 * The whole life of an incident through Slack, as people would live it on the connector-restored
 * scenario: open (the primary is paged), ack, a diagnosis with its verdict, a restart that a second
 * person approves (one Cloud Run PATCH), close with the recap. Every step asserts what it left.
 */
export async function liveAnIncident(parts: {
  bot: TestWarroom;
  slack: FakeSlack;
  simulator: CloudSimulator;
}): Promise<void> {
  const { bot, slack, simulator } = parts;
  let trigger = 0;
  const command = async (text: string, user: string, channel: string) => {
    const response = await postSlashCommand(bot.baseUrl, SIGNING_SECRET, {
      text,
      user_id: user,
      channel_id: channel,
      trigger_id: `life-${++trigger}-${Date.now()}`,
    });
    expect(response.status).toBe(200);
    return (response.json as { text: string }).text;
  };

  expect(
    await command('open staging "Every endpoint answers 503" --sev P1', RESPONDER, SLACK_TEST_IDS.channelId),
  ).toContain('Opening a P1 incident');
  await slack.waitFor(() => slack.callsTo('pins.add').length === 1, 20_000);
  const channel = String(slack.callsTo('pins.add')[0]?.args.channel);
  const paged = () =>
    slack
      .callsTo('chat.postMessage')
      .some(
        (c) =>
          String(c.args.channel).startsWith('D') && JSON.stringify(c.args.blocks).includes('incident_ack'),
      );
  await slack.waitFor(paged, 20_000);

  expect(await command('ack', ONCALL, channel)).toMatch(/acknowledg/i);

  await command('diag staging', RESPONDER, channel);
  await slack.waitFor(
    () => slack.messages(channel).some((m) => m.text.includes('verdict: restart-needed')),
    30_000,
  );

  const requested = await command('restart staging backend --reason connector recreated', RESPONDER, channel);
  expect(requested).toContain("needs a second person's approval");
  const patches = () =>
    simulator.requests.filter((r) => r.method === 'PATCH' && !r.query.includes('validateOnly=true'));
  expect(patches()).toHaveLength(0);
  await command('approve', APPROVER, channel);
  await slack.waitFor(
    () => slack.messages(channel).some((m) => m.text.includes('ready and serving')),
    30_000,
  );
  expect(patches()).toHaveLength(1);

  expect(await command('close connector recreated, backend restarted', RESPONDER, channel)).toContain(
    'Closed',
  );
  await slack.waitFor(() => slack.messages(channel).some((m) => m.text.startsWith('Recap')), 20_000);
  await waitUntilIdle(bot.warroom, 30_000);
  const recap = JSON.stringify(slack.messages(channel).find((m) => m.text.startsWith('Recap'))?.blocks);
  for (const part of ['*diagnostic*', 'Key moments', 'restart-needed', `<@${ONCALL}>`])
    expect(recap).toContain(part);
}
