/** What one verification found: the four criteria, each passed, failed or not checked. */
export type CriterionName = 'health' | 'database' | 'cloud-run' | 'steps';

export interface CriterionResult {
  criterion: CriterionName;
  /** not-checked: the environment does not configure it (summary says what to add). */
  status: 'pass' | 'fail' | 'not-checked';
  /** One line with the measured figures beside the target, e.g. "3/3 endpoints 200, slowest auth 212 ms (target: 200 within 10 s)". */
  summary: string;
  /** One line per endpoint / per service / per step (one line for the database); empty when not checked. */
  details: string[];
  durationMs: number;
}

export interface VerifyResult {
  environment: string;
  /** ISO-8601 UTC, when the verification started. */
  at: string;
  /** True when every checked criterion passed and at least one was checked. */
  passed: boolean;
  /** Always all four, in the order health, database, cloud-run, steps. */
  criteria: CriterionResult[];
}
