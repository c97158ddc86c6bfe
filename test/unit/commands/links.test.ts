import links from '../../../commands/links';
import { dispatch } from '../../../src/router/dispatch';
import type { PageLinks } from '../../../src/router/subcommand';
import {
  commandContext,
  configFrom,
  openIncident,
  RecordingIncidents,
  STAGING_YAML,
} from '../../support/command-context';
import { refusalOf, runParsed } from './parse-command';

const config = configFrom(`${STAGING_YAML}access: { responders: [U0RESP], approvers: [U0APPR] }\n`);

/** Links that say what they were asked for; revocations recorded. */
class NamedLinks implements PageLinks {
  readonly revoked: unknown[] = [];
  async incident(id: string) {
    return `https://warroom.example.com/incidents/${id}?token=t`;
  }
  async list() {
    return 'https://warroom.example.com/incidents?token=t';
  }
  async revoke(scope: { incidentId: string } | 'incident-list') {
    this.revoked.push(scope);
  }
}

function run(text: string, user: string, channel = 'C1', pages: PageLinks | null = new NamedLinks()) {
  const incidents = new RecordingIncidents();
  incidents.add(openIncident({ channelId: 'CINC' }));
  const context = commandContext(text, { config, incidents, user, channel });
  if (pages) context.services.pages = pages;
  else delete context.services.pages;
  return dispatch(context);
}

describe('/incident links', () => {
  it('gives a responder the list link, visible only to them', async () => {
    const { reply } = await run('links', 'U0RESP');
    expect(reply.text).toContain('<https://warroom.example.com/incidents?token=t|All incidents>');
    expect(reply.text).not.toContain('/incidents/inc-');
  });

  it('adds the incident’s own link in its channel', async () => {
    const { reply } = await run('links', 'U0RESP', 'CINC');
    expect(reply.text).toContain('/incidents/inc-20261203-0001?token=t|This incident’s page');
  });

  it('gives nobody else any link', async () => {
    const { reply } = await run('links', 'U0APPR', 'CINC');
    expect(reply.text).toContain('Only responders may use `/incident links`');
    expect(reply.text).not.toContain('https://');
  });

  it('revokes the incident’s links in its channel, and the list’s elsewhere', async () => {
    const pages = new NamedLinks();
    await run('links revoke', 'U0RESP', 'CINC', pages);
    await run('links revoke', 'U0RESP', 'C1', pages);
    expect(pages.revoked).toEqual([{ incidentId: 'inc-20261203-0001' }, 'incident-list']);
  });

  it('says how to turn the pages on when they are off', async () => {
    const { reply } = await run('links', 'U0RESP', 'C1', null);
    expect(reply.text).toContain('WARROOM_WEB_SECRET');
  });

  it.each([
    ['links', ['list', 'incident inc-20261203-0001']],
    ['links revoke', ['revoke inc-20261203-0001']],
    ['links REVOKE', ['revoke inc-20261203-0001']],
    ['links "revoke"', ['revoke inc-20261203-0001']],
  ])('reads %j in an incident channel as asking the links for %j', async (text, asked) => {
    expect((await runParsed(links, text)).pages.asked).toEqual(asked);
  });

  it.each(['links revoke now', 'links all', 'links --revoke', 'links revoke --all', 'links "revoke all"'])(
    'refuses %j',
    (text) => {
      expect(refusalOf(links, text)).toBe('links takes nothing, or `revoke`.');
    },
  );
});
