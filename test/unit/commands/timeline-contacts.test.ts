import contacts from '../../../commands/contacts';
import timeline from '../../../commands/timeline';
import type { Incident, TimelineEntry } from '../../../src/incident/incident';
import type { TimelineSlice } from '../../../src/incident/timeline-slice';
import { dispatch } from '../../../src/router/dispatch';
import { renderText } from '../../../src/shell/render-text';
import {
  commandContext,
  configFrom,
  openIncident,
  RecordingIncidents,
  STAGING_YAML,
} from '../../support/command-context';
import { contactsOf } from '../incident/contacts-of';
import { refusalOf } from './parse-command';

const config = configFrom(`${STAGING_YAML}contacts:\n  infra: { tier: primary, slack: [U0ONCALL] }\n`);
const OPENED = Date.parse('2026-12-03T09:00:00.000Z');

function note(i: number): TimelineEntry {
  const at = new Date(OPENED + i * 1000).toISOString();
  return { id: `${OPENED + i}-0`, at, actor: 'U0ALICE', kind: 'note', text: `note ${i + 1}`, data: {} };
}

/** A desk whose timeline holds `total` notes and whose contacts say the primary tier was paged; reads recorded. */
class ReadableIncidents extends RecordingIncidents {
  readonly slices: { first: number; count: number }[] = [];
  constructor(private readonly total: number) {
    super();
  }
  override async timelineSlice(
    _incident: Incident,
    range: { first: number; count: number },
  ): Promise<TimelineSlice> {
    this.slices.push(range);
    const last = Math.min(this.total, range.first + range.count);
    return {
      entries: Array.from({ length: Math.max(0, last - range.first) }, (_, i) => note(range.first + i)),
      total: this.total,
    };
  }
  override async contacts() {
    const page = { tier: 'primary', contact: 'infra', users: ['U0ONCALL'], reason: 'open' };
    return contactsOf([{ ...note(0), actor: 'warroom', kind: 'page', data: page }]);
  }
}

function run(text: string, total = 60) {
  const incidents = new ReadableIncidents(total);
  incidents.add(openIncident({ channelId: 'CINC' }));
  return {
    incidents,
    done: dispatch(commandContext(text, { config, incidents, user: 'U0ANY', channel: 'CINC' })),
  };
}

describe('/incident timeline', () => {
  it.each([
    ['timeline', { first: 0, count: 25 }, 'Timeline, page 1 of 3: entries 1–25 of 60'],
    ['timeline 2', { first: 25, count: 25 }, 'Timeline, page 2 of 3: entries 26–50 of 60'],
    ['timeline 3', { first: 50, count: 25 }, 'Timeline, page 3 of 3: entries 51–60 of 60'],
    ['timeline 02', { first: 25, count: 25 }, 'Timeline, page 2 of 3: entries 26–50 of 60'],
    ['timeline "3"', { first: 50, count: 25 }, 'Timeline, page 3 of 3: entries 51–60 of 60'],
  ])('%s reads only its page, %p, and says where it is', async (text, range, said) => {
    const { incidents, done } = run(text);
    const { reply } = await done;
    expect(incidents.slices).toEqual([range]);
    expect(reply.text).toBe(said);
  });

  it('answers a page past the end with the latest page to ask for', async () => {
    const { reply } = await run('timeline 1000000000000000000000').done;
    expect(reply.text).toBe(
      'There is no page 1e+21: the timeline has 3 pages (60 entries). Try `/incident timeline 3` for the latest.',
    );
  });

  it.each(['timeline ""', 'timeline last', 'timeline --page 2', 'timeline 2 --all', 'timeline "1 2"'])(
    'refuses %j',
    (text) => {
      expect(refusalOf(timeline, text)).toBe('The page is a whole number from 1.');
    },
  );

  // BUG (suspected, minor): the page is read with Number(), so hexadecimal and exponent forms
  // pass as whole numbers ("0x2" is page 2, "1e1" page 10).
  it.failing.each(['timeline 0x2', 'timeline 1e1'])(
    'KNOWN BUG, fails until fixed: refuses %j as a page number',
    (text) => {
      expect(refusalOf(timeline, text)).toBe('The page is a whole number from 1.');
    },
  );

  it.each(['timeline 0', 'timeline two', 'timeline 1.5', 'timeline 1 2', 'timeline -1'])(
    'refuses %j without reading anything',
    async (text) => {
      const { incidents, done } = run(text);
      const { reply } = await done;
      expect(reply.text).toContain('The page is a whole number from 1.');
      expect(incidents.slices).toEqual([]);
    },
  );
});

describe('/incident contacts', () => {
  it('shows what the desk says of each tier', async () => {
    const { reply } = await run('contacts').done;
    expect(renderText(reply)).toContain('*primary*\n• infra: @U0ONCALL\npaged 2026-12-03 09:00:00 UTC');
  });

  it('takes no arguments', async () => {
    const { reply } = await run('contacts primary').done;
    expect(reply.text).toContain('contacts takes no arguments.');
  });

  it.each(['contacts --all', 'contacts ""', 'contacts primary secondary'])('refuses %j', (text) => {
    expect(refusalOf(contacts, text)).toBe('contacts takes no arguments.');
  });
});
