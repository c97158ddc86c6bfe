import type { EnvironmentConfig } from '../config/schema';
import type { CriterionName, VerifyResult } from './verify-result';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** How each criterion is named when checked (with its count) and when missing. */
const PHRASES: Record<
  CriterionName,
  { checked: (count: number) => string; missing: string; unverified: string }
> = {
  health: {
    checked: (n) => `health (${plural(n, 'URL')})`,
    missing: 'health URLs',
    unverified: 'endpoint health',
  },
  database: { checked: () => 'database connect time', missing: 'database probe', unverified: 'connect time' },
  'cloud-run': {
    checked: (n) => `Cloud Run (${plural(n, 'service')})`,
    missing: 'Cloud Run services',
    unverified: 'service readiness',
  },
  steps: { checked: (n) => plural(n, 'verify step'), missing: 'steps', unverified: 'the login path' },
};
const ORDER: readonly CriterionName[] = ['health', 'database', 'cloud-run', 'steps'];

/** How many URLs, services or steps each configured criterion covers; absent when not configured. */
type Coverage = Partial<Record<CriterionName, number>>;

function fromResult(result: VerifyResult): Coverage {
  // Details hold one line per URL, service or step.
  const checked = result.criteria.filter((c) => c.status !== 'not-checked');
  return Object.fromEntries(checked.map((c) => [c.criterion, c.details.length]));
}

function fromConfig(environment: EnvironmentConfig): Coverage {
  const counts: Record<CriterionName, number> = {
    health: environment.healthChecks.length,
    database: environment.database ? 1 : 0,
    'cloud-run': environment.services.length,
    steps: environment.verify.steps.length,
  };
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

function list(items: readonly string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/**
 * One sentence on what a verification covers and what it cannot, for watches: "Checks health
 * (3 URLs) and Cloud Run (3 services); no database probe or steps configured, so connect time and
 * the login path are not verified." Read from the result, or from `environment` when given (so a
 * watch can say it before its first verification).
 */
export function describeCoverage(result: VerifyResult, environment?: EnvironmentConfig): string {
  const coverage = environment ? fromConfig(environment) : fromResult(result);
  const checked = ORDER.flatMap((name) => {
    const count = coverage[name];
    return count === undefined ? [] : [PHRASES[name].checked(count)];
  });
  const missing = ORDER.filter((name) => coverage[name] === undefined).map((name) => PHRASES[name]);
  const head = checked.length > 0 ? `Checks ${list(checked, 'and')}` : 'Checks nothing';
  if (missing.length === 0) return `${head}.`;
  const absent = list(
    missing.map((m) => m.missing),
    'or',
  );
  const unverified = list(
    missing.map((m) => m.unverified),
    'and',
  );
  return `${head}; no ${absent} configured, so ${unverified} ${missing.length === 1 ? 'is' : 'are'} not verified.`;
}
