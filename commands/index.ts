/**
 * The registry: every `/incident` subcommand, in the order help lists them. Adding a subcommand
 * means one file in this folder, one line here and its test.
 */
import type { Subcommand } from '../src/router/subcommand';
import ack from './ack';
import approve from './approve';
import close from './close';
import commander from './commander';
import contacts from './contacts';
import deny from './deny';
import diag from './diag';
import escalate from './escalate';
import followup from './followup';
import followups from './followups';
import help from './help';
import links from './links';
import note from './note';
import open from './open';
import phase from './phase';
import postmortem from './postmortem';
import restart from './restart';
import rollback from './rollback';
import status from './status';
import timeline from './timeline';
import verify from './verify';

export const registry: readonly Subcommand[] = [
  help,
  open,
  diag,
  restart,
  rollback,
  approve,
  deny,
  verify,
  status,
  phase,
  commander,
  note,
  timeline,
  contacts,
  escalate,
  ack,
  close,
  followup,
  followups,
  postmortem,
  links,
];
