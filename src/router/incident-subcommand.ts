import { slackDate } from '../chat/slack-date';
import type { Incident } from '../incident/incident';
import type { CommandInput } from './command-input';

export const NOT_AN_INCIDENT_CHANNEL =
  'This is not an incident channel. Type this in the incident’s channel, or open one with `/incident open <env> <title>`.';

/**
 * The one rule for a closed incident: nothing changes it any more. Commands that change an
 * incident and its Acknowledge buttons both answer with this.
 */
export function closedIncidentText(incident: Pick<Incident, 'id' | 'closedAt'>): string {
  const when = incident.closedAt ? ` ${slackDate(incident.closedAt)}` : '';
  return `Incident ${incident.id} was closed${when}, so nothing was changed. Its timeline and recap stay as they are; open a new incident with \`/incident open <env> <title>\` if this needs more work.`;
}

/** The longest free text a command takes (a note, a status, a resolution). */
export const MAX_FREE_TEXT = 3000;

/** The words from `from` on as one text, exactly as typed, or an error naming what is missing. */
export function restAsText(input: CommandInput, what: string, from = 0, max = MAX_FREE_TEXT) {
  const text = input.rest(from);
  if (!text) return { ok: false as const, error: `Say what the ${what} is.` };
  if (text.length > max)
    return { ok: false as const, error: `The ${what} is ${text.length} characters; keep it under ${max}.` };
  return { ok: true as const, args: { text } };
}
