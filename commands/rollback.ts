/**
 * `/incident rollback <env> <service> [revision] [--reason text] [--dry-run]` — moves 100 % of a
 * Cloud Run service's traffic to the named revision, or to the last ready one before the revision
 * serving now. Same guard rails as restart.
 */

import {
  parseRemediationArgs,
  type RemediationArgs,
  requestRemediation,
} from '../src/remediation/remediation-command';
import { defineSubcommand } from '../src/router/subcommand';

export default defineSubcommand({
  name: 'rollback',
  usage: 'rollback <env> <service> [revision] [--reason text] [--dry-run]',
  summary: 'Move all traffic of a service to an earlier ready revision; approval where configured.',
  examples: [
    '/incident rollback staging backend',
    '/incident rollback staging backend backend-00041-wuz --dry-run',
  ],
  sideEffects: { when: 'without --dry-run', applies: (args: RemediationArgs) => !args.dryRun },
  access: 'responders',
  changesIncident: true,
  incident: 'optional',
  parse: (input, { config }) => parseRemediationArgs('rollback', input, config),
  run: (args, context, incident) => requestRemediation('rollback', args, context, incident),
});
