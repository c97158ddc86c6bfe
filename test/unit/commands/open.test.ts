import open from '../../../commands/open';
import { deskCall, longerThan, refusalOf, runParsed } from './parse-command';

/** What `open` asks the desk to open, without the invocation. */
async function opened(text: string) {
  const [{ environment, title, severity }] = deskCall(await runParsed(open, text), 'open') as [
    Record<string, unknown>,
  ];
  return { environment, title, severity };
}

describe('/incident open', () => {
  it.each([
    ['open staging "Every endpoint answers 503" --sev P1', 'Every endpoint answers 503', 'P1'],
    ['open staging Every endpoint answers 503', 'Every endpoint answers 503', 'P2'],
    ['open STAGING Cloud SQL refuses --SEV p0', 'Cloud SQL refuses', 'P0'],
    ['open staging --sev P3 login is slow', 'login is slow', 'P3'],
    ['open --sev=P1 staging login is slow', 'login is slow', 'P1'],
    ['open staging login \u2014sev P1 is slow', 'login is slow', 'P1'],
    ["open staging it's the connector's fault", "it's the connector's fault", 'P2'],
    ['open staging can\u2019t connect   to Cloud SQL', 'can\u2019t connect   to Cloud SQL', 'P2'],
    ['open staging "Every endpoint" answers 503', '"Every endpoint" answers 503', 'P2'],
    ["open staging 'users can\u2019t log in'", 'users can\u2019t log in', 'P2'],
    ['open staging 5" of latency -- p99 <2s', '5" of latency -- p99 <2s', 'P2'],
    ['open "staging" 503s', '503s', 'P2'],
  ])('reads %j as a staging incident titled %j, severity %s', async (text, title, severity) => {
    expect(await opened(text)).toEqual({ environment: 'staging', title, severity });
  });

  it.each([
    ['open', 'Which environment? Configured: `staging`.'],
    ['open --sev P1', 'Which environment? Configured: `staging`.'],
    [
      'open production Every endpoint answers 503',
      'There is no environment "production". Configured: `staging`.',
    ],
    ['open Every endpoint answers 503', 'There is no environment "every".'],
    ['open staging', 'Give the incident a title'],
    ['open staging --sev P1', 'Give the incident a title'],
    ['open staging 503s --sev P5', 'Severity must be one of P0, P1, P2, P3.'],
    ['open staging 503s --sev high', 'Severity must be one of P0, P1, P2, P3.'],
    ['open staging 503s --sev', '--sev needs a value.'],
    ['open staging 503s --sev P1 --sev P2', '--sev is given twice; give it once.'],
    ['open staging 503s --severity P1', 'Unknown option "--severity". Options: --sev.'],
    ['open staging 503s --sevv P1', 'Unknown option "--sevv". Did you mean --sev? Options: --sev.'],
    ['open staging 503s --dry-run', 'Unknown option "--dry-run".'],
    ['open staging 503s -sev P1', '"-sev" has one dash; did you mean --sev?'],
    ['open staging "503s --sev P1"', '"--sev" is inside quotes'],
  ])('refuses %j: %s', (text, error) => {
    expect(refusalOf(open, text)).toContain(error);
  });

  it('refuses a title over 500 characters', () => {
    expect(refusalOf(open, `open staging ${longerThan(500)}`)).toBe(
      'The title is 501 characters; keep it under 500.',
    );
  });
});
