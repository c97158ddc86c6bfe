/**
 * `/incident followup <text> [@owner] [--due 7d]` — records an action item on the incident (anyone
 * in its channel, open or closed). `/incident followup done <n>` marks one done (its owner or a
 * responder).
 */
import { FOLLOW_UP_TEXT_MAX, FOLLOW_UPS_MAX } from '../src/incident/follow-up';
import { CommandInput, parseOptions } from '../src/router/command-input';
import { defineIncidentSubcommand, type ParseResult } from '../src/router/subcommand';

type FollowUpArgs =
  | { kind: 'add'; text: string; owner?: string; dueInMs?: number }
  | { kind: 'done'; number: number };

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;
const DUE = /^(\d{1,4})([hdw])$/i;
const HOUR = 3_600_000;
const UNIT_MS: Record<string, number> = { h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR };
/** A due date further than this is not a follow-up but a wish. */
const MAX_DUE_MS = 365 * 24 * HOUR;
const WHICH =
  'Say which follow-up by its number, e.g. `/incident followup done 2` (`/incident followups` lists them).';

/** `--due 7d`, `--due 12h`, `--due 2w`: from 1 hour to 365 days. */
export function parseDue(text: string): ParseResult<number> {
  const match = DUE.exec(text.trim());
  const ms = match ? Number(match[1]) * (UNIT_MS[(match[2] ?? '').toLowerCase()] ?? 0) : 0;
  if (!match || ms < HOUR || ms > MAX_DUE_MS)
    return {
      ok: false,
      error: `--due takes a number of hours, days or weeks from now (\`12h\`, \`7d\`, \`2w\`), up to 365 days; "${text.slice(0, 20)}" is not one.`,
    };
  return { ok: true, args: ms };
}

function parseDone(input: CommandInput): ParseResult<FollowUpArgs> {
  const number = /^#?(\d{1,3})$/.exec(input.word(1) ?? '')?.[1];
  if (input.length !== 2 || number === undefined || Number(number) < 1)
    return {
      ok: false,
      error: `${WHICH} To record a follow-up that starts with "done", put its text in quotes.`,
    };
  return { ok: true, args: { kind: 'done', number: Number(number) } };
}

function parseAdd(input: CommandInput): ParseResult<FollowUpArgs> {
  const parsed = parseOptions(input, { single: ['due'] });
  if (!parsed.ok) return parsed;
  const { positional, values } = parsed.options;
  const last = positional.tokens.at(-1);
  const owner = last ? MENTION.exec(last.text)?.[1] : undefined;
  if (!owner && last && /^(?:@|<!subteam\^)/.test(last.text) && !last.text.includes(' '))
    return {
      ok: false,
      error:
        'The owner is one person, named with a Slack mention at the end (type @ and pick them from the list), e.g. `/incident followup alert on connector capacity @alice --due 7d`.',
    };
  const words = owner ? new CommandInput(input.text, positional.tokens.slice(0, -1)) : positional;
  const text = words.rest();
  if (!text)
    return {
      ok: false,
      error: 'Say what needs doing, e.g. `/incident followup alert on connector capacity`.',
    };
  if (text.length > FOLLOW_UP_TEXT_MAX)
    return {
      ok: false,
      error: `The follow-up is ${text.length} characters; keep it under ${FOLLOW_UP_TEXT_MAX} (one action, with details in the postmortem).`,
    };
  let dueInMs: number | undefined;
  if (values.due !== undefined) {
    const due = parseDue(values.due);
    if (!due.ok) return due;
    dueInMs = due.args;
  }
  return {
    ok: true,
    args: { kind: 'add', text, ...(owner ? { owner } : {}), ...(dueInMs ? { dueInMs } : {}) },
  };
}

export default defineIncidentSubcommand<FollowUpArgs>({
  name: 'followup',
  usage: 'followup <text> [@owner] [--due 7d] | followup done <n>',
  summary:
    'Record a follow-up action (also after the incident closed), or mark one done (its owner or a responder).',
  examples: [
    '/incident followup alert on connector instances at max @alice --due 7d',
    '/incident followup done 2',
  ],
  sideEffects: false,
  access: {
    who: 'anyone',
    stricter: {
      when: 'to mark one done',
      applies: (args) => args.kind === 'done',
      who: 'follow-up-owner-or-responders',
    },
  },
  subject: (args) => (args.kind === 'done' ? { followUp: args.number } : undefined),
  // Follow-ups are the work after the incident: they are added and closed once it is over too.
  changesIncident: false,
  parse(input) {
    if (input.word(0)?.toLowerCase() === 'done' && !input.tokens[0]?.grouped) return parseDone(input);
    return parseAdd(input);
  },
  async run(args, { invocation, services }, incident) {
    const desk = services.incidents;
    if (args.kind === 'done') {
      const done = await desk.followUpDone(incident, args.number, invocation.userId);
      if (done.kind === 'unknown')
        return { reply: { text: `There is no follow-up #${args.number} in ${incident.id}. ${WHICH}` } };
      if (done.kind === 'already')
        return { reply: { text: `Follow-up #${args.number} was already done; nothing changed.` } };
      return { reply: { text: `:ballot_box_with_check: Follow-up #${args.number} is done.` } };
    }
    const added = await desk.addFollowUp(incident, {
      text: args.text,
      ...(args.owner ? { owner: args.owner } : {}),
      ...(args.dueInMs ? { dueInMs: args.dueInMs } : {}),
      user: invocation.userId,
      idempotencyKey: invocation.id,
    });
    if (!('followUp' in added)) {
      if (added.kind === 'not_found')
        return { reply: { text: `Incident ${incident.id} is no longer known.` } };
      return {
        reply: {
          text: `${incident.id} has ${FOLLOW_UPS_MAX} follow-ups already, the most an incident keeps; mark some done or merge them in the postmortem.`,
        },
      };
    }
    return {
      reply: {
        text: `:dart: Recorded as follow-up #${added.followUp.number}. \`/incident followups\` lists them all.`,
      },
    };
  },
});
