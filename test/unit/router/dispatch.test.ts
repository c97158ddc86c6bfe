import { registry } from '../../../commands';
import type { DiagStarter } from '../../../src/diag/diag-launcher';
import { dispatch } from '../../../src/router/dispatch';
import type { CommandContext } from '../../../src/router/subcommand';
import { commandContext, RecordingDiag as RecordingDiagLauncher } from '../../support/command-context';

function contextFor(text: string, diag: DiagStarter = new RecordingDiagLauncher()): CommandContext {
  return commandContext(text, { diag, user: 'U1', channel: 'C1' });
}

describe('dispatch', () => {
  it('answers an empty command with the command list', async () => {
    const { reply } = await dispatch(contextFor(''));
    expect(reply.text).toContain('Warroom commands');
    for (const command of registry) expect(reply.text).toContain(`/incident ${command.usage}`);
  });

  it('is case-insensitive in the subcommand name', async () => {
    expect((await dispatch(contextFor('HELP'))).reply.text).toContain('Warroom commands');
  });

  it('names an unknown subcommand, suggests the closest and lists the rest', async () => {
    const { reply } = await dispatch(contextFor('daig staging'));
    expect(reply.text).toContain('Unknown subcommand "daig"');
    expect(reply.text).toContain('Did you mean `/incident diag`?');
    expect(reply.text).toContain('`help`');
  });

  it('escapes Slack markup in what it echoes back', async () => {
    const { reply } = await dispatch(contextFor('<!channel>'));
    expect(reply.text).toContain('&lt;!channel&gt;');
    expect(reply.text).not.toContain('<!channel>');
  });

  it('answers bad arguments with the problem and the usage', async () => {
    const { reply } = await dispatch(contextFor('help a b'));
    expect(reply.text).toBe('help takes at most one subcommand name. Usage: /incident help [subcommand]');
  });

  it('says a command may not be recorded when the Redis connection drops part-way', async () => {
    const failing: DiagStarter = { launch: async () => Promise.reject(new Error('Connection is closed.')) };
    const context = contextFor('diag staging', failing);
    const { reply } = await dispatch(context);
    expect(reply.text).toContain('may not have been recorded');
    expect(reply.text).not.toContain('Connection is closed');
  });

  it('turns an unexpected failure into a reply with a reference, not a stack trace', async () => {
    const failing: DiagStarter = { launch: async () => Promise.reject(new Error('boom at /secret/path')) };
    const context = contextFor('diag staging', failing);
    const { reply } = await dispatch(context);
    expect(reply.text).toMatch(/failed unexpectedly \(ref [0-9a-f]{8}\)/);
    expect(reply.text).not.toContain('boom');
  });
});

describe('/incident help', () => {
  it('shows usage and examples of one subcommand', async () => {
    const { reply } = await dispatch(contextFor('help diag'));
    expect(reply.text).toContain('/incident diag <env>');
    expect(JSON.stringify(reply.blocks)).toContain('/incident diag staging');
  });

  it('says when the subcommand asked about does not exist', async () => {
    const { reply } = await dispatch(contextFor('help nope'));
    expect(reply.text).toContain('There is no subcommand "nope"');
  });
});

describe('/incident diag', () => {
  it('queues a run for a configured environment', async () => {
    const diag = new RecordingDiagLauncher();
    const { reply } = await dispatch(contextFor('diag staging', diag));
    expect(reply.text).toContain('Diagnosing *staging*');
    expect(diag.launched).toEqual([
      expect.objectContaining({
        channelId: 'C1',
        requestedBy: 'U1',
        invocationId: expect.any(String),
        environment: expect.objectContaining({ name: 'staging' }),
      }),
    ]);
  });

  it.each([
    ['diag', 'Which environment? Configured: `staging`.'],
    ['diag prod', 'There is no environment "prod". Configured: `staging`.'],
    ['diag ../../x', 'There is no environment "../../x". Configured: `staging`.'],
    ['diag staging prod', 'diag takes one environment name. Configured: `staging`.'],
  ])('refuses %j before queueing anything', async (text, problem) => {
    const diag = new RecordingDiagLauncher();
    const { reply } = await dispatch(contextFor(text, diag));
    expect(reply.text).toBe(`${problem} Usage: /incident diag &lt;env&gt;`);
    expect(diag.launched).toHaveLength(0);
  });
});
