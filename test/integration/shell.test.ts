import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_URL } from '../support/test-config';
import { WarroomProcess } from '../support/warroom-process';

function script(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'warroom-shell-')), 'script.txt');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function runShell(args: string[], env: Record<string, string> = {}) {
  const shell = WarroomProcess.spawn({ REDIS_URL, LOG_LEVEL: 'warn', WARROOM_CONFIG: '', ...env }, args, {
    entry: 'source',
    script: 'shell/main',
  });
  const exit = await shell.exited();
  return { code: exit.code, output: shell.output };
}

describe('npm run shell', () => {
  it('runs a script through the same router: /incident help prints the command list', async () => {
    const { code, output } = await runShell(['--script', script(['/incident help', 'help diag'])]);
    expect(code).toBe(0);
    expect(output).toContain('> /incident help');
    expect(output).toContain('== Warroom commands ==');
    expect(output).toContain('`/incident diag <env>`');
    expect(output).toContain('/incident diag staging');
  });

  it('diagnoses the simulated staging outage and waits for the verdict before it exits', async () => {
    const { code, output } = await runShell([
      '--simulate',
      'staging-outage',
      '--script',
      script(['/incident diag staging']),
    ]);
    expect(code).toBe(0);
    expect(output).toContain('Google Cloud simulated: scenario staging-outage');
    expect(output).toContain('*verdict: `vpc-connector-down`*');
    expect(output).toContain('↳ reply to #1');
  });

  it('names the scenarios there are when asked for one that is not', async () => {
    const { code, output } = await runShell(['--simulate', 'meteor-strike']);
    expect(code).toBe(1);
    expect(output).toContain('There is no scenario named "meteor-strike"');
    expect(output).toContain('staging-outage');
  });

  it('plays the restoration demo: a dry run, restarts approved by a second person, verify and a watch', async () => {
    const { code, output } = await runShell([
      '--simulate',
      'connector-restored',
      '--script',
      'demo/remediation.txt',
    ]);
    expect(code).toBe(0);
    expect(output).toContain('Dry run: nothing was changed');
    expect(output).toContain("needs a second person's approval");
    expect(output.match(/is ready and serving/g)?.length).toBeGreaterThanOrEqual(3);
    expect(output).toContain('staging meets every success criterion checked');
    expect(output).toContain('3m of continuous operation without errors: 4/4 verifications passed');
    expect(output).toContain('Validation watch of staging');
  }, 60_000);

  it('plays the life of an incident: it ends with follow-ups and the postmortem draft’s link', async () => {
    const { code, output } = await runShell([
      '--simulate',
      'staging-outage',
      '--script',
      'demo/incident.txt',
    ]);
    expect(code).toBe(0);
    expect(output).toContain('(3 open of 3)');
    expect(output).toContain('*#1* Alert on connector instances at max — owner @U0SUPPORT — due');
    expect(output).toMatch(
      /Postmortem draft \(https:\/\/docs\.google\.com\/document\/d\/sim-doc-0001\/edit\?usp=drivesdk\) regenerated in place/,
    );
    expect(output).toContain(
      'Postmortem draft (https://docs.google.com/document/d/sim-doc-0001/edit?usp=drivesdk) in Google Docs',
    );
  }, 60_000);

  it('starts a Redis of its own when none answers at REDIS_URL', async () => {
    const { code, output } = await runShell(['--script', script(['help'])], {
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(code).toBe(0);
    expect(output).toMatch(/Redis started for this shell at redis:\/\/127\.0\.0\.1:\d+/);
  });

  it('says how to get Redis when there is none and no redis-server to start', async () => {
    const { code, output } = await runShell(['--script', script(['help'])], {
      REDIS_URL: 'redis://127.0.0.1:1',
      PATH: '/nonexistent',
    });
    expect(code).toBe(1);
    expect(output).toContain('sudo apt-get install redis-server');
    expect(output).toContain('docker compose up -d redis');
  });
});
