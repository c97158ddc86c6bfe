import phase from '../../../commands/phase';
import { configFrom } from '../../support/command-context';
import { stagingConfigYaml } from '../../support/test-config';
import { deskCall, refusalOf, runParsed } from './parse-command';

const DEFAULT_PHASES = 'Name one phase: `diagnostic`, `restoration`, `validation`.';
/** A team that names its own phases. */
const OWN_PHASES = configFrom(
  stagingConfigYaml('warroom', 'phases: { triage: 30m, mitigation: 2h, review: 1h }'),
);

describe('/incident phase', () => {
  it.each([
    ['phase restoration', 'restoration'],
    ['phase VALIDATION', 'validation'],
    ['phase "diagnostic"', 'diagnostic'],
  ])('reads %j as the phase %s', async (text, name) => {
    expect(deskCall(await runParsed(phase, text), 'phase')[2]).toBe(name);
  });

  it('takes the phases the config names', async () => {
    expect(deskCall(await runParsed(phase, 'phase Mitigation', OWN_PHASES), 'phase')[2]).toBe('mitigation');
    expect(refusalOf(phase, 'phase restoration', OWN_PHASES)).toBe(
      'Name one phase: `triage`, `mitigation`, `review`.',
    );
  });

  it.each([
    'phase',
    'phase recovery',
    'phase restore',
    'phase restoration now',
    'phase "restoration now"',
    'phase --force',
    'phase restoration --dry-run',
  ])('refuses %j with the phases there are', (text) => {
    expect(refusalOf(phase, text)).toBe(DEFAULT_PHASES);
  });
});
