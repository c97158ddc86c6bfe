import type { Incident, TimelineEntry, TimelineKind } from '../../../src/incident/incident';

/**
 * An open P1 incident on staging in channel C1, commanded by UCMDR1. Tests pass what their
 * assertions depend on (openedAt, commander, phase…) as overrides, so it reads beside the assertion.
 */
export function incidentFixture(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    title: 'Staging answers 503',
    severity: 'P1',
    environment: 'staging',
    channelId: 'C1',
    channelName: 'inc-staging-503',
    status: 'open',
    commander: 'UCMDR1',
    openedBy: 'UCMDR1',
    openedAt: '2026-03-31T22:00:00.000Z',
    phase: 'diagnostic',
    ...overrides,
  };
}

// Jest loads this module afresh for each test file, so ids are numbered per file.
let seq = 0;
/** A timeline entry at an ISO time, its id shaped like the Redis stream id the store returns. */
export function entry(
  kind: TimelineKind,
  at: string,
  data: Record<string, unknown> = {},
  actor = 'warroom',
): TimelineEntry {
  seq += 1;
  return { id: `${Date.parse(at)}-${seq}`, at, actor, kind, text: '', data };
}
