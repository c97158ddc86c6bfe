/** `/incident timeline [page]` — shows the incident's timeline, newest page last, 25 entries a page. */

import { renderTimelineSlice, timelineSliceRange } from '../src/incident/render-timeline';
import { defineIncidentSubcommand } from '../src/router/subcommand';

export default defineIncidentSubcommand<{ page?: number }>({
  name: 'timeline',
  usage: 'timeline [page]',
  summary: 'Show the timeline: every command, run, page, ack, phase change and note.',
  examples: ['/incident timeline', '/incident timeline 2'],
  sideEffects: false,
  access: 'anyone',
  changesIncident: false,
  parse(input) {
    if (input.length === 0) return { ok: true, args: {} };
    const page = Number(input.word(0));
    if (input.length > 1 || !Number.isInteger(page) || page < 1)
      return { ok: false, error: 'The page is a whole number from 1.' };
    return { ok: true, args: { page } };
  },
  async run({ page = 1 }, { services }, incident) {
    // Only the page asked for is read, whatever the incident's length.
    const slice = await services.incidents.timelineSlice(incident, timelineSliceRange({ page }));
    return { reply: renderTimelineSlice(slice, { page }) };
  },
});
