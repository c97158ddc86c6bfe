import type { Config, Contact, ContactTier } from '../../../src/config/schema';
import type { TimelineEntry, TimelineKind } from '../../../src/incident/incident';
import { renderContacts } from '../../../src/incident/render-contacts';
import { renderText } from '../../../src/shell/render-text';
import { contactsOf } from './contacts-of';

const MIN = 60_000;
const OPENED = '2026-03-31T22:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(OPENED) + minutes * MIN).toISOString();
const now = (minutes: number) => new Date(at(minutes));

const CONTACTS: Contact[] = [
  { name: 'infra-oncall', tier: 'primary', slack: ['S0INFRA', 'UPRIMARY'] },
  { name: 'gcp-support', tier: 'secondary', slack: ['USUPPORT'], note: 'Open a P1 case <in the console>' },
  { name: 'leadership', tier: 'executive', slack: ['UEXEC'] },
];
const config = (contacts = CONTACTS): Pick<Config, 'contacts' | 'escalation'> => ({
  contacts,
  escalation: { ackTimeoutMs: 15 * MIN, executiveAfterMs: 240 * MIN },
});

let seq = 0;
function entry(kind: TimelineKind, minutes: number, data: Record<string, unknown>, actor = 'warroom') {
  seq += 1;
  return { id: `${seq}`, at: at(minutes), actor, kind, text: '', data } as TimelineEntry;
}
const page = (minutes: number, tier: ContactTier, users: string[], reason = 'open') =>
  entry('page', minutes, { tier, contact: `${tier}-contact`, users, reason });
const ack = (minutes: number, user: string, tier: ContactTier, paged = true) =>
  entry('ack', minutes, { tier, user, paged }, user);

describe('renderContacts', () => {
  it('lists each tier with contacts in escalation order, mentions and notes, unpaged ones as such', () => {
    const message = renderContacts(config(), contactsOf([]), now(0));
    const shell = renderText(message);
    expect(shell.indexOf('*primary*')).toBeLessThan(shell.indexOf('*secondary*'));
    expect(shell.indexOf('*secondary*')).toBeLessThan(shell.indexOf('*executive*'));
    expect(shell).not.toContain('*business*');
    expect(JSON.stringify(message.blocks)).toContain('• infra-oncall: <!subteam^S0INFRA>, <@UPRIMARY>');
    expect(JSON.stringify(message.blocks)).toContain('_Open a P1 case &lt;in the console&gt;_');
    expect(shell.match(/not paged/g)).toHaveLength(3);
    expect(message.text).toBe('Contacts: primary not paged; secondary not paged; executive not paged');
  });

  it('shows when a tier was paged and why, who acknowledged and how fast', () => {
    const state = contactsOf([page(0, 'primary', ['UPRIMARY']), ack(3, 'UPRIMARY', 'primary')]);
    const message = renderContacts(config(), state, now(10));
    const shell = renderText(message);
    expect(shell).toContain('paged 2026-03-31 22:00:00 UTC (10m ago) — incident opened');
    expect(shell).toContain(
      '✅ acknowledged in Slack by @UPRIMARY 2026-03-31 22:03:00 UTC, 3m after the page',
    );
    expect(message.text).toContain('primary acknowledged in Slack by <@UPRIMARY> after 3m');
  });

  it('says an acknowledgement came from PagerDuty, with the name PagerDuty gives', () => {
    const state = contactsOf([page(0, 'primary', ['UPRIMARY']), ack(4, 'pagerduty:Jane <Doe>', 'primary')]);
    const message = renderContacts(config(), state, now(10));
    expect(renderText(message)).toContain(
      '✅ acknowledged in PagerDuty by Jane <Doe> 2026-03-31 22:04:00 UTC, 4m after the page',
    );
    expect(message.text).toContain('primary acknowledged in PagerDuty by Jane &lt;Doe&gt; after 4m');
  });

  it.each([
    ['not paged yet', { keySet: true }, 'PagerDuty: linked, not paged yet'],
    ['being paged', { keySet: true, state: 'sending' as const }, 'PagerDuty: paging…'],
    ['triggered', { keySet: true, state: 'triggered' as const }, 'PagerDuty: triggered'],
    ['acknowledged there', { keySet: true, state: 'acknowledged' as const }, 'PagerDuty: acknowledged'],
    ['failed', { keySet: true, state: 'failed' as const }, 'PagerDuty: :x: the page failed'],
    ['without its key', { keySet: false }, 'PagerDuty: linked, but `INFRA_PD_ROUTING_KEY` is not set'],
  ])('shows the PagerDuty link of a contact: %s', (_, link, words) => {
    const linked = config();
    linked.contacts = linked.contacts.map((c) =>
      c.name === 'infra-oncall' ? { ...c, pagerduty: { routingKeyEnv: 'INFRA_PD_ROUTING_KEY' } } : c,
    );
    const message = renderContacts(
      linked,
      { ...contactsOf([]), pagerDuty: { 'infra-oncall': link } },
      now(0),
    );
    expect(JSON.stringify(message.blocks)).toContain(
      `• infra-oncall: <!subteam^S0INFRA>, <@UPRIMARY> · ${words}`,
    );
  });

  it.each([
    ['still waiting', [page(0, 'primary', ['UPRIMARY'])], 5, 'waiting 5m (escalates in 10m)'],
    ['past the timeout', [page(0, 'primary', ['UPRIMARY'])], 20, 'waiting 20m (escalation due)'],
    [
      'escalated',
      [
        page(0, 'primary', ['UPRIMARY']),
        entry('escalation', 15, { from: 'primary', to: 'secondary', reason: 'timeout' }),
      ],
      20,
      'waiting 20m\nescalated to *secondary* 2026-03-31 22:15:00 UTC — no ack within 15m',
    ],
    ['at the last tier', [page(0, 'executive', ['UEXEC'], 'executive')], 5, 'waiting 5m\n'],
    [
      'acknowledged at another tier',
      [
        page(0, 'primary', ['UPRIMARY']),
        page(15, 'secondary', ['USUPPORT']),
        ack(16, 'USUPPORT', 'secondary'),
      ],
      20,
      'not acknowledged — waiting 20m\n',
    ],
  ])('an unacknowledged tier: %s', (_name, timeline, minutes, expected) => {
    const shell = renderText(renderContacts(config(), contactsOf(timeline), now(minutes)));
    expect(shell).toContain(expected);
  });

  it('lists failed pages, acknowledgements by people not paged and others, escaped', () => {
    const state = contactsOf([
      page(0, 'primary', ['UPRIMARY']),
      entry('page-failed', 0, {
        tier: 'primary',
        contact: 'infra-oncall',
        user: 'UGONE',
        error: 'user_not_found <x>',
      }),
      ack(2, 'UBYSTANDER', 'primary', false),
      entry('ack', 3, { user: 'UOTHER', paged: false }, 'UOTHER'),
    ]);
    const message = renderContacts(config(), state, now(5));
    const raw = JSON.stringify(message.blocks);
    expect(raw).toContain(':x: could not page <@UGONE> (infra-oncall): user_not_found &lt;x&gt;');
    expect(raw).toContain('also acknowledged by <@UBYSTANDER>');
    expect(renderText(message)).toContain('*Other acknowledgements*\n• @UOTHER acknowledged');
  });

  it('lists at most ten failed pages per tier and counts the rest', () => {
    const failures = Array.from({ length: 25 }, (_, i) =>
      entry('page-failed', 0, {
        tier: 'primary',
        contact: 'infra-oncall',
        user: `UF${i}`,
        error: 'x'.repeat(300),
      }),
    );
    const message = renderContacts(config(), contactsOf([page(0, 'primary', ['UF0']), ...failures]), now(1));
    const shell = renderText(message);
    expect(shell.match(/could not page/g)).toHaveLength(10);
    expect(shell).toContain('…and 15 more');
  });

  it('lists the earliest ten acknowledgements and escalations of each kind and counts the rest', () => {
    const twelve = (make: (i: number) => TimelineEntry) => Array.from({ length: 12 }, (_, i) => make(i));
    const timeline = [
      page(0, 'primary', ['UPRIMARY']),
      ...twelve((i) => ack(20 - i, `UBY${i}`, 'primary', false)),
      ...twelve((i) => entry('ack', 20 - i, { user: `UELSE${i}`, paged: false }, `UELSE${i}`)),
      ...twelve((i) => entry('escalation', 20 - i, { from: 'primary', to: 'secondary', reason: 'timeout' })),
    ];
    const shell = renderText(renderContacts(config(), contactsOf(timeline), now(30)));
    expect(shell.match(/also acknowledged by/g)).toHaveLength(10);
    expect(shell.match(/acknowledged .* \(not paged\)/g)).toHaveLength(20);
    expect(shell.match(/escalated to/g)).toHaveLength(10);
    expect(shell.match(/…and 2 more/g)).toHaveLength(3);
    // The earliest: the two latest recorded are left out.
    expect(shell).toContain('@UBY11');
    expect(shell).not.toContain('@UBY1 ');
    expect(shell).not.toContain('@UELSE0');
  });

  it('shows a tier that was paged although its contacts have left the configuration', () => {
    const state = contactsOf([page(0, 'business', ['UPRODUCT'], 'manual')]);
    const shell = renderText(renderContacts(config(), state, now(1)));
    expect(shell).toContain('*business*\n• _no contacts configured any more_\npaged');
    expect(shell).toContain('— manual');
  });

  it('measures up to the close, and promises no escalation, once the incident is closed', () => {
    const state = contactsOf([page(0, 'primary', ['UPRIMARY']), entry('closed', 30, { resolution: 'ok' })]);
    const shell = renderText(renderContacts(config(), state, now(300)));
    expect(shell).toContain('paged 2026-03-31 22:00:00 UTC — incident opened');
    expect(shell).toContain('not acknowledged before the close, 30m after the page');
    expect(shell).not.toMatch(/escalates|escalation due/);
    expect(shell).toContain('The incident closed 2026-03-31 22:30:00 UTC.');
  });

  it('says how to add contacts when there are none', () => {
    const message = renderContacts(config([]), contactsOf([]), now(0));
    expect(message.text).toContain('No contacts are configured');
    expect(message.text).toContain('infra-oncall: { tier: primary, slack: [S0123ABCD] }');
  });
});
