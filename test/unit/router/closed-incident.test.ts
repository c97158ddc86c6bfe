import { dispatch } from '../../../src/router/dispatch';
import {
  commandContext,
  openIncident,
  RecordingDiag,
  RecordingIncidents,
  RecordingRemediation,
} from '../../support/command-context';

const closed = openIncident({
  channelId: 'CINC',
  status: 'closed',
  closedAt: '2026-12-03T11:00:00.000Z',
  resolution: 'connector recreated',
});

function inClosedIncident(line: string) {
  const incidents = new RecordingIncidents();
  incidents.add(closed);
  const remediation = new RecordingRemediation();
  const diag = new RecordingDiag();
  const context = commandContext(line, { incidents, remediation, diag, user: 'U0ANY', channel: 'CINC' });
  return { context, incidents, remediation, diag };
}

describe('a closed incident', () => {
  it.each([
    'status still down',
    'note one more thing',
    'phase restoration',
    'commander <@U0NEW>',
    'escalate regional networking',
    'ack',
    'close again',
    'verify staging --watch 30m',
    'restart staging backend',
    'rollback staging backend --dry-run',
    'approve r0123456789',
    'deny r0123456789',
  ])('answers %j that it is closed, and changes nothing', async (line) => {
    const { context, incidents, remediation } = inClosedIncident(line);
    const { reply } = await dispatch(context);
    expect(reply.text).toContain(`Incident ${closed.id} was closed`);
    expect(reply.text).toContain('nothing was changed');
    expect(incidents.calls).toEqual([]);
    expect(remediation.asked).toEqual([]);
  });

  it.each(['timeline', 'contacts', 'help'])('still answers %j', async (line) => {
    const { context, incidents } = inClosedIncident(line);
    const { reply } = await dispatch(context);
    expect(reply.text).not.toContain('was closed');
    expect(reply.text).not.toContain('failed unexpectedly');
    expect(incidents.methods()).not.toContain('recordCommand');
  });

  it('still diagnoses, without adding to the closed incident', async () => {
    const { context, diag } = inClosedIncident('diag staging');
    await dispatch(context);
    expect(diag.launched).toHaveLength(1);
    expect(diag.launched[0]).not.toHaveProperty('incidentId');
  });
});
