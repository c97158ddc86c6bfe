import { GcpError } from '../../../src/gcp/cloud-gateway';
import { createdNothing, renderPostmortemFailure } from '../../../src/postmortem/postmortem-failure';

describe('a postmortem draft Drive did not take, said in the channel', () => {
  it.each([
    [new GcpError('denied', 'permission-denied', 403), ['(403)', 'as an *editor*', 'Drive API is enabled']],
    [
      new GcpError('gone', 'not-found', 404),
      ['(404)', '`postmortem.driveFolderId` is wrong', 'as an *editor*'],
    ],
    [new GcpError('quota', 'rate-limited', 429), ['(429)', 'tries again in a minute']],
    [new GcpError('no scope', 'unauthenticated', 401), ['drive.file']],
    [new Error('socket hang up'), ['did not take the document (other)', 'tries again in a minute']],
  ])('says what to fix for %p', (error, phrases) => {
    const message = renderPostmortemFailure(error, 'folder-<b>1');
    for (const phrase of phrases) expect(message.text).toContain(phrase);
    expect(message.text).toContain('/incident postmortem');
    expect(message.text).not.toContain('<b>');
  });

  it.each([
    [new GcpError('denied', 'permission-denied', 403), true],
    [new GcpError('quota', 'rate-limited', 429), true],
    [new GcpError('busy', 'unavailable', 503), false],
    [new GcpError('no answer', 'timeout'), false],
    [new Error('reset'), false],
  ])('knows whether Drive created nothing: %p → %p', (error, nothing) => {
    expect(createdNothing(error)).toBe(nothing);
  });
});
