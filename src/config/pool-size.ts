import { z } from 'zod';
import { expecting, problem, quote } from './schema-messages';

/** Connections one instance of a service holds unless `database.poolSize` says otherwise. */
export const DEFAULT_POOL_SIZE = 10;

const MAX_POOL_SIZE = 1_000;

/** Connections one instance may open: the pool size plus its overflow, a whole number. */
export function poolSize() {
  const wrong = (issue: { input?: unknown }) =>
    problem(
      `${quote(issue.input)} is not a pool size.`,
      `write how many database connections one instance of a service may hold (its pool size plus overflow), a whole number from 1 to ${MAX_POOL_SIZE}, e.g. poolSize: ${DEFAULT_POOL_SIZE}.`,
    );
  return z
    .number({
      error: (issue) =>
        issue.input === undefined ? expecting('a pool size', String(DEFAULT_POOL_SIZE))(issue) : wrong(issue),
    })
    .int({ error: wrong })
    .min(1, { error: wrong })
    .max(MAX_POOL_SIZE, { error: wrong });
}
