/**
 * Bodies for Slack's endpoint that a request signed with the right secret could carry, for the HTTP
 * fuzz test: slash commands, button clicks and events of odd shapes, and JSON of any shape. None asks
 * for real work: command text is help or a word no subcommand has, clicks name unknown pages and
 * requests, events name no incident channel.
 */
import fc from 'fast-check';
import { SLACK_TEST_IDS, slashCommandFields } from './slack-signing';

export interface SlackPayload {
  kind: string;
  contentType: string;
  body: string;
}

export const word = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'),
  minLength: 1,
  maxLength: 12,
});
export const junk = fc.string({ unit: 'binary', maxLength: 40 });

/** Command text that never names a subcommand with side effects: help, or a word no subcommand has. */
const harmlessText = fc.oneof(
  fc.constantFrom('', 'help', 'help open', 'help zz', '   ', 'HELP', '<!channel>', '&lt;x&gt;'),
  fc.tuple(word, junk).map(([w, rest]) => `zz${w} ${rest}`),
  fc
    .tuple(fc.constantFrom('help ', 'zz '), fc.string({ unit: 'grapheme', maxLength: 60 }))
    .map(([a, b]) => a + b),
  fc.nat(9000).map((n) => `help ${'x'.repeat(n)}`),
);
const oddId = fc.oneof(
  fc.constantFrom(
    SLACK_TEST_IDS.userId,
    SLACK_TEST_IDS.channelId,
    '',
    'U',
    'U'.repeat(70),
    'U1;DROP',
    '../C1',
    'W0\u0000',
  ),
  word.map((w) => w.toUpperCase()),
  junk,
);
/** A field of Slack's form: mostly as Slack sends it (null), sometimes odd, sometimes missing. */
const field = (odd: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constant(null) },
    { weight: 2, arbitrary: odd },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
const slashCommand = fc
  .record({
    text: harmlessText,
    user_id: field(oddId),
    channel_id: field(oddId),
    team_id: field(oddId),
    trigger_id: field(fc.oneof(word, fc.constant('t'.repeat(600)))),
    // Another command has no listener: Bolt answers it 404 after ~3 s, so it stays rare.
    command: fc.oneof(
      { weight: 20, arbitrary: fc.constant('/incident') },
      { weight: 1, arbitrary: fc.constantFrom('/incidentx', '/INCIDENT') },
    ),
    twice: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('user_id', 'text', 'channel_id', 'command') },
    ),
  })
  .map(({ twice, ...fields }) => {
    const all: Record<string, string> = { ...slashCommandFields() };
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) delete all[key];
      else if (value !== null) all[key] = value;
    }
    const form = new URLSearchParams(all);
    if (twice) form.append(twice, 'again');
    return {
      kind: 'signed slash command',
      contentType: 'application/x-www-form-urlencoded',
      body: form.toString(),
    };
  });

const buttonValue = fc.oneof(
  fc.constantFrom(
    '',
    'r0123456789',
    'rffffffffff',
    '{"incidentId":"nope","tier":"primary"}',
    '{"incidentId":7}',
    'null',
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc
    .tuple(word, fc.constantFrom('primary', 'secondary', 'executive', 'x'))
    .map(([id, tier]) => JSON.stringify({ incidentId: id, tier })),
  fc.constant(undefined),
);
const click = (responseUrl: string) =>
  fc
    .record({
      actionId: fc.oneof(
        { weight: 30, arbitrary: fc.constantFrom('incident_ack', 'remediation_approve', 'remediation_deny') },
        { weight: 1, arbitrary: word },
      ),
      value: buttonValue,
      user: fc.oneof(
        fc.constant({ id: SLACK_TEST_IDS.userId, team_id: SLACK_TEST_IDS.teamId }),
        fc.constant({ id: 'U0APPROVER' }),
        fc.record({ id: fc.oneof(oddId, fc.jsonValue({ maxDepth: 1 })) }),
      ),
      team: fc.constantFrom({ id: SLACK_TEST_IDS.teamId }, null, undefined),
      responseUrl: fc.oneof(
        { weight: 8, arbitrary: fc.constant(responseUrl) },
        { weight: 1, arbitrary: fc.constantFrom(undefined, 'not a url', 'http://127.0.0.1:1/closed') },
      ),
      channel: fc.constantFrom({ id: SLACK_TEST_IDS.channelId }, undefined),
    })
    .map(({ actionId, value, user, team, responseUrl, channel }) => ({
      kind: 'signed click',
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({
        payload: JSON.stringify({
          type: 'block_actions',
          user,
          ...(team !== undefined ? { team } : {}),
          ...(channel ? { channel } : {}),
          actions: [
            { type: 'button', action_id: actionId, block_id: 'b', ...(value !== undefined ? { value } : {}) },
          ],
          container: { type: 'message', channel_id: SLACK_TEST_IDS.channelId, message_ts: '1.1' },
          ...(responseUrl ? { response_url: responseUrl } : {}),
        }),
      }).toString(),
    }));

const event = fc
  .record({
    type: fc.constantFrom(
      'reaction_added',
      'reaction_added',
      'emoji_changed',
      'app_mention',
      'message',
      'tokens_revoked',
    ),
    reaction: fc.constantFrom('pushpin', 'fire', ''),
    item: fc.oneof(
      fc.record({
        type: fc.constantFrom('message', 'file'),
        channel: oddId,
        ts: fc.oneof(word, fc.constant('1.1')),
      }),
      fc.constantFrom(undefined, {}, { type: 'message' }),
    ),
    user: fc.oneof(oddId, fc.constant(undefined)),
    channel: fc.oneof(oddId, fc.constant(undefined)),
  })
  .map((e) => ({
    kind: 'signed event',
    contentType: 'application/json',
    body: JSON.stringify({ type: 'event_callback', team_id: SLACK_TEST_IDS.teamId, event: e }),
  }));

const otherSigned = fc
  .oneof(
    {
      weight: 6,
      arbitrary: fc
        .jsonValue({ maxDepth: 3 })
        .map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) ?? 'null' })),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        { contentType: 'application/json', body: '{"type":"url_verification","challenge":"c"}' },
        { contentType: 'application/x-www-form-urlencoded', body: 'ssl_check=1&token=x' },
        { contentType: 'application/x-www-form-urlencoded', body: 'payload=%7B' },
        { contentType: 'application/json', body: '{"event":null}' },
        { contentType: 'application/json', body: '{"type":"block_actions","actions":[],"user":{"id":"U1"}}' },
        { contentType: 'application/json', body: 'null' },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        {
          contentType: 'application/json',
          body: '{"type":"view_submission","user":{"id":"U1"},"view":{"id":"V1"}}',
        },
        { contentType: 'application/json', body: '{"type":"shortcut","user":{"id":"U1"},"callback_id":"x"}' },
      ),
    },
  )
  .map((b) => ({ kind: 'signed other', ...b }));

/** One of the above, in proportion; clicks are answered at `responseUrl`. */
export function hostileSlackPayload(responseUrl: string): fc.Arbitrary<SlackPayload> {
  return fc.oneof(
    { weight: 4, arbitrary: slashCommand },
    { weight: 3, arbitrary: click(responseUrl) },
    { weight: 2, arbitrary: event },
    { weight: 2, arbitrary: otherSigned },
  );
}
