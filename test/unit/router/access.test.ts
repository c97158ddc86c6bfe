import { registry } from '../../../commands';
import { describeAccess, openAccessWarning } from '../../../src/router/access';
import { dispatch } from '../../../src/router/dispatch';
import { NOT_AN_INCIDENT_CHANNEL } from '../../../src/router/incident-subcommand';
import {
  commandContext,
  configFrom,
  openIncident,
  RecordingDiag,
  RecordingIncidents,
  RecordingRemediation,
  STAGING_YAML,
} from '../../support/command-context';

const config = configFrom(
  `${STAGING_YAML}contacts:\n  infra: { tier: primary, slack: [UPAGED] }\n  google: { tier: secondary, slack: [UGOOGLE] }\naccess: { responders: [URESP], approvers: [UAPPR] }\n`,
);

/** Who is who in the incident below: the access model is about these five people. */
const PEOPLE = {
  anyone: 'UANY',
  paged: 'UPAGED',
  commander: 'UCMDR',
  responder: 'URESP',
  approver: 'UAPPR',
} as const;
type Person = keyof typeof PEOPLE;

/** A command line of each subcommand that is valid in the incident's channel. */
const LINES: Record<string, string> = {
  help: 'help',
  open: 'open staging Every endpoint answers 503',
  diag: 'diag staging',
  restart: 'restart staging backend --reason connector recreated',
  rollback: 'rollback staging backend',
  approve: 'approve r0123456789',
  deny: 'deny r0123456789',
  verify: 'verify staging',
  status: 'status connector recreated',
  phase: 'phase restoration',
  commander: 'commander <@U0NEW>',
  note: "note it's the connector",
  timeline: 'timeline',
  contacts: 'contacts',
  escalate: 'escalate secondary regional networking',
  ack: 'ack',
  close: 'close connector recreated',
  links: 'links',
  followup: 'followup alert on connector instances at max',
  followups: 'followups',
  postmortem: 'postmortem',
  'followup done 1': 'followup done 1',
};

const everyone: Person[] = ['anyone', 'paged', 'commander', 'responder', 'approver'];
/** The policy: who may run what. */
const POLICY: [string, Person[]][] = [
  ['help', everyone],
  ['diag', everyone],
  ['open', everyone],
  ['note', everyone],
  ['status', everyone],
  ['timeline', everyone],
  ['contacts', everyone],
  ['verify', everyone],
  ['ack', ['paged', 'commander', 'responder']],
  ['close', ['commander', 'responder']],
  ['escalate', ['commander', 'responder']],
  ['phase', ['commander', 'responder']],
  ['commander', ['commander', 'responder']],
  ['verify --watch 30m', ['commander', 'responder']],
  ['restart', ['responder']],
  ['rollback', ['responder']],
  ['approve', ['approver']],
  ['deny', ['approver']],
  ['links', ['responder']],
  ['followups', everyone],
  ['postmortem', ['commander', 'responder']],
  ['followup', everyone],
  ['followup done 1', ['responder']],
];

function inIncident(person: Person, line: string) {
  const incidents = new RecordingIncidents();
  incidents.add(openIncident({ channelId: 'CINC', commander: PEOPLE.commander }));
  incidents.paged.set(PEOPLE.paged, ['primary']);
  const remediation = new RecordingRemediation();
  const diag = new RecordingDiag();
  const context = commandContext(line, {
    config,
    incidents,
    remediation,
    diag,
    user: PEOPLE[person],
    channel: 'CINC',
    verify: {
      verify: async () => ({ runId: 'v1' }),
      watch: async () => ({ kind: 'too-short', minMs: 60_000 }),
      stopWatches: async () => 0,
    },
  });
  return { context, incidents, remediation };
}

describe('who may run each subcommand', () => {
  it('covers every subcommand in the registry', () => {
    expect(new Set(POLICY.map(([name]) => name.split(' ')[0]))).toEqual(new Set(registry.map((c) => c.name)));
  });

  const cases = POLICY.flatMap(([command, allowed]) =>
    everyone.map((person) => [command, person, allowed.includes(person)] as const),
  );
  it.each(cases)('/incident %s by %s: allowed %s', async (command, person, allowed) => {
    const [name, ...rest] = command.split(' ');
    const line =
      LINES[command] ??
      (rest.length > 0 ? `${LINES[name as string]} ${rest.join(' ')}` : (LINES[name as string] ?? ''));
    const { context, incidents, remediation } = inIncident(person, line);
    const { reply } = await dispatch(context);
    const refused = reply.text.startsWith(':no_entry_sign: Only');
    expect(refused).toBe(!allowed);
    expect(reply.text).not.toContain('failed unexpectedly');
    if (!refused) return;
    // Refused before anything ran: nothing asked of the desks but the record of the refusal.
    expect(remediation.asked).toHaveLength(0);
    const looksAtIncident = registry.find((c) => c.name === name)?.incident !== 'none';
    expect(incidents.methods()).toEqual(looksAtIncident ? ['recordCommand'] : []);
    if (looksAtIncident) expect(incidents.calls[0]?.args[2]).toMatch(/^refused: /);
  });

  it('lets the owner of a follow-up mark it done, and nobody else but responders', async () => {
    for (const [person, allowed] of [
      ['anyone', true],
      ['commander', false],
    ] as const) {
      const { context, incidents } = inIncident(person, 'followup done 1');
      incidents.followUpItems.push({
        number: 1,
        text: 'alert on connector instances at max',
        owner: PEOPLE.anyone,
        addedBy: PEOPLE.commander,
        addedAt: '2026-12-03T10:00:00.000Z',
        state: 'open',
      });
      const { reply } = await dispatch(context);
      expect(reply.text.startsWith(':no_entry_sign: Only the follow-up’s owner or responders')).toBe(
        !allowed,
      );
      expect(incidents.followUpItems[0]?.state).toBe(allowed ? 'done' : 'open');
    }
  });

  it('records an allowed command on the incident before it runs', async () => {
    const { context, incidents } = inIncident('responder', 'close connector recreated');
    await dispatch(context);
    expect(incidents.methods()).toEqual(['recordCommand', 'close']);
  });

  it('says who may, and how to get access, when it refuses', async () => {
    const { context } = inIncident('paged', 'close done');
    const { reply } = await dispatch(context);
    expect(reply.text).toContain('Only responders or the incident’s commander may use `/incident close`');
    expect(reply.text).toContain('access.responders');
  });

  it('keeps incident commands to incident channels', async () => {
    const { reply } = await dispatch(
      commandContext('ack', { config, user: PEOPLE.responder, channel: 'C1' }),
    );
    expect(reply.text).toBe(NOT_AN_INCIDENT_CHANNEL);
  });
});

describe('/incident help and access', () => {
  it('shows who may run each subcommand from the declaration the router enforces', async () => {
    const { reply } = await dispatch(commandContext('help', { config }));
    for (const command of registry) {
      const line = reply.text.split('\n').find((l) => l.startsWith(`/incident ${command.usage} `));
      expect(line).toContain(describeAccess(command.access));
    }
    expect(reply.text).toContain('verify <env> [--watch 30m]');
    expect(reply.text).toContain('anyone; with --watch: responders or the incident’s commander');
  });

  it('shows it for one subcommand too', async () => {
    const { reply } = await dispatch(commandContext('help close', { config }));
    expect(reply.text).toContain('Who may run it: responders or the incident’s commander.');
  });

  it('carries no link: pages are opened from the incident or with /incident links', async () => {
    const { reply } = await dispatch(commandContext('help', { config }));
    expect(JSON.stringify(reply)).not.toMatch(/https?:\/\//);
  });
});

describe('start-up warning about open access', () => {
  it('names the lists that are missing', () => {
    expect(openAccessWarning(configFrom())).toContain('access.responders and access.approvers are not set');
    expect(openAccessWarning(config)).toBeUndefined();
    expect(openAccessWarning(configFrom(`${STAGING_YAML}access: { responders: [U0AAA1] }\n`))).toContain(
      'access.approvers is not set',
    );
  });
});
