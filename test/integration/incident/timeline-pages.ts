import type { Incident } from '../../../src/incident/incident';
import { renderTimelineSlice, TIMELINE_SLICE_SIZE } from '../../../src/incident/render-timeline';
import type { DeskHarness } from './desk-harness';

/**
 * Every page `/incident timeline` shows, and the one after the last, checked against the whole
 * timeline read from the stream and ordered by time.
 */
export async function expectPagesOfWholeTimeline(harness: DeskHarness, incident: Incident): Promise<void> {
  const all = await harness.store.timelineByTime(incident.id);
  const pages = Math.ceil(all.length / TIMELINE_SLICE_SIZE);
  for (let page = 1; page <= pages + 1; page++) {
    const first = (page - 1) * TIMELINE_SLICE_SIZE;
    const entries = all.slice(first, first + TIMELINE_SLICE_SIZE);
    await expect(harness.reply(incident, `timeline ${page}`)).resolves.toEqual(
      renderTimelineSlice({ entries, total: all.length }, { page }),
    );
  }
  await expect(harness.reply(incident, 'timeline')).resolves.toEqual(
    renderTimelineSlice({ entries: all.slice(0, TIMELINE_SLICE_SIZE), total: all.length }, { page: 1 }),
  );
}
