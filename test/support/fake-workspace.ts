import { SLACK_TEST_IDS } from './slack-signing';

/** Identity of the simulated workspace and bot. */
export const FAKE_WORKSPACE = {
  ...SLACK_TEST_IDS,
  teamName: 'Warroom Test',
  botName: 'warroom',
  baseUrl: 'https://warroom-test.slack.com/',
} as const;
