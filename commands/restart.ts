/**
 * `/incident restart <env> <service> [--reason text] [--dry-run]` — forces a new revision of a
 * Cloud Run service with the same configuration. Responders only; a second person approves where
 * the environment requires it; runs exactly once; every step is on the timeline.
 */

import {
  parseRemediationArgs,
  type RemediationArgs,
  requestRemediation,
} from '../src/remediation/remediation-command';
import { defineSubcommand } from '../src/router/subcommand';

export default defineSubcommand({
  name: 'restart',
  usage: 'restart <env> <service> [--reason text] [--dry-run]',
  summary: 'Restart a Cloud Run service (a new revision, same config); approval where configured.',
  examples: [
    '/incident restart staging backend --reason connector recreated',
    '/incident restart staging backend --dry-run',
  ],
  sideEffects: { when: 'without --dry-run', applies: (args: RemediationArgs) => !args.dryRun },
  access: 'responders',
  changesIncident: true,
  incident: 'optional',
  parse: (input, { config }) => parseRemediationArgs('restart', input, config),
  run: (args, context, incident) => requestRemediation('restart', args, context, incident),
});
