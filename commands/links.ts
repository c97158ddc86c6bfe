/**
 * `/incident links [revoke]` — gives a responder, and only them, the signed link to the list of
 * incidents (and, in an incident channel, to that incident's page), visible only to them. With
 * `revoke`, every link handed out so far stops working: the incident's, typed in its channel, or
 * the list's, typed anywhere else.
 */

import { formatDuration } from '../src/config/duration';
import { defineSubcommand } from '../src/router/subcommand';
import { LINK_TTL_MS } from '../src/web/incident-links';

export default defineSubcommand<{ revoke: boolean }>({
  name: 'links',
  usage: 'links [revoke]',
  summary: 'Get the links to the incident pages (only you see them), or revoke every link given so far.',
  examples: ['/incident links', '/incident links revoke'],
  sideEffects: false,
  access: 'responders',
  changesIncident: false,
  parse(input) {
    const word = input.word(0)?.toLowerCase();
    if (input.length === 0) return { ok: true, args: { revoke: false } };
    if (input.length === 1 && word === 'revoke') return { ok: true, args: { revoke: true } };
    return { ok: false, error: 'links takes nothing, or `revoke`.' };
  },
  async run({ revoke }, { invocation, services }) {
    const pages = services.pages;
    if (!pages) {
      return {
        reply: {
          text: 'Incident pages are off: Warroom’s operators turn them on with WARROOM_WEB_SECRET and WARROOM_PUBLIC_URL.',
        },
      };
    }
    const incident = await services.incidents.forChannel(invocation.channelId);
    if (revoke && incident) {
      await pages.revoke({ incidentId: incident.id });
      await services.incidents.recordCommand(incident, invocation);
      await services.incidents.repostHeader(incident);
      return {
        reply: {
          text: `:lock: Every link to the page of ${incident.id} given so far has stopped working, and so have the sessions opened with them. The pinned header gets a new link.`,
        },
      };
    }
    if (revoke) {
      await pages.revoke('incident-list');
      return {
        reply: {
          text: ':lock: Every link to the list of incidents given so far has stopped working, and so have the sessions opened with them. Incident links stay as they are; revoke one in its channel.',
        },
      };
    }
    const valid = formatDuration(LINK_TTL_MS);
    const lines = [
      `<${await pages.list()}|All incidents>: open and recently closed, each with its page. Valid ${valid}; whoever has it can open every incident’s page, so keep it to yourself.`,
      ...(incident ? [`<${await pages.incident(incident.id)}|This incident’s page> (${incident.id}).`] : []),
      '`/incident links revoke` stops every list link given so far (typed in an incident’s channel: that incident’s links).',
    ];
    return { reply: { text: lines.join('\n') } };
  },
});
