import type { Check } from '../finding';
import { runJudged } from './with-deadline';

/** Whether the services' runtime service accounts may connect to Cloud SQL (project IAM policy). */
export const sqlIamCheck: Check = {
  name: 'iam',
  run: (context) =>
    runJudged('iam', context, async () => ({
      check: 'iam',
      status: 'skipped',
      summary: 'not checked yet',
      details: [],
      evidence: {},
    })),
};
