/**
 * The registry: every `/incident` subcommand, in the order help lists them. Adding a subcommand
 * means one file in this folder, one line here and its test.
 */
import type { Subcommand } from '../src/commands/subcommand';
import diag from './diag';
import help from './help';

export const registry: readonly Subcommand[] = [help, diag];
