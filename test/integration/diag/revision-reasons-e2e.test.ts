import { diagnosisBed } from './diagnose-staging';

describe('/incident diag staging on revision reasons and the connection budget', () => {
  const { diagnose } = diagnosisBed();

  it('calls a revision whose image is missing an application error, naming CONTAINER_MISSING and its fix', async () => {
    const { text, blocks, thread } = await diagnose('image-missing', 'image-1');
    expect(text).toContain(
      'verdict: application-error — Application error: Cloud Run refused the new revision (CONTAINER_MISSING)',
    );
    expect(blocks).toContain('*cloud-run* — 1/3 services not ready: backend not ready (CONTAINER_MISSING)');
    expect(blocks).toContain(
      'backend: CONTAINER_MISSING (the container image does not exist at the path the revision names)',
    );
    expect(blocks).toContain('*Next step:* CONTAINER_MISSING: deploy an image that exists');
    const cloudRun = thread.find((reply) => reply.includes('*cloud-run*'));
    expect(cloudRun).toContain('backend: CONTAINER_MISSING: the container image does not exist');
    expect(cloudRun).toContain('reasons:backend=CONTAINER_MISSING');
  });

  it('keeps an over-budget but healthy staging at no-fault-found, with the budget as a warning line', async () => {
    const { text, blocks } = await diagnose('connection-budget', 'budget-1');
    expect(text).toContain('verdict: no-fault-found ');
    expect(blocks).toContain(
      '*cloud-sql* — RUNNABLE, 26/400 connections (7 %), warning: 3 services × max 20 instances × pool 10 = 600 connections &gt; max_connections 400',
    );
  });

  it('shows no budget line when the services at full scale stay within max_connections', async () => {
    const { text, blocks } = await diagnose('healthy', 'budget-2');
    expect(text).toContain('verdict: no-fault-found ');
    expect(blocks).toMatch(/\*cloud-sql\* — RUNNABLE, \d+\/200 connections \(\d+ %\)\\n/);
    expect(blocks).not.toContain('max_connections');
  });
});
