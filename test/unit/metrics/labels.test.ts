import {
  constantLabel,
  googleOperationLabel,
  slackMethodLabel,
  subcommandLabel,
} from '../../../src/metrics/labels';

describe('metric labels', () => {
  const known = new Set(['help', 'diag', 'open']);

  it.each([
    ['diag', 'diag'],
    ['DIAG', 'diag'],
    [undefined, 'help'],
    ['reboot', 'unknown'],
    ['diag staging', 'unknown'],
    ['<@U123|alice>', 'unknown'],
    ['a'.repeat(500), 'unknown'],
  ])('a slash command whose first word is %p is labelled %p', (word, label) => {
    expect(subcommandLabel(word, known)).toBe(label);
  });

  it.each([
    ['getConnector projects/p/locations/r/connectors/c', 'getConnector'],
    ['updateService projects/p/locations/r/services/backend', 'updateService'],
    ['getOperation projects/p/locations/r/operations/0a1b2c', 'getOperation'],
    ['listTimeSeries projects/acme-staging', 'listTimeSeries'],
    ['getService', 'getService'],
    ['projects/p/services/x', 'unknown'],
    ['', 'unknown'],
  ])('a Google call described as %p is labelled %p', (operation, label) => {
    expect(googleOperationLabel(operation)).toBe(label);
  });

  it.each([
    ['chat.postMessage', 'chat.postMessage'],
    ['conversations.join', 'conversations.join'],
    ['admin.users.session.list', 'unknown'],
    ['C0123 chat.update', 'unknown'],
  ])('a Slack method %p is labelled %p', (method, label) => {
    expect(slackMethodLabel(method)).toBe(label);
  });

  it.each([
    ['diag-check', 'diag-check'],
    ['watch-tick', 'watch-tick'],
    ['permission-denied', 'permission-denied'],
    ['run-6f0c2a1e', 'unknown'],
    ['Execute', 'unknown'],
    [undefined, 'unknown'],
  ])('a constant name %p is labelled %p', (name, label) => {
    expect(constantLabel(name)).toBe(label);
  });
});
