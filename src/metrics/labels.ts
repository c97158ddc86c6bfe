/**
 * Label values for metrics. Every series is kept forever by Prometheus, so a label may only take
 * values from a small, known set: anything else is folded into one bucket, never passed through.
 */

/** The value used when a label's input is not one of the known values. */
export const UNKNOWN_LABEL = 'unknown';

/**
 * The subcommand of a slash command's first word, when it names one of `known`; `help` for an empty
 * command (dispatch answers it with help) and `unknown` for anything else, so typed text never
 * becomes a label.
 */
export function subcommandLabel(firstWord: string | undefined, known: ReadonlySet<string>): string {
  const name = (firstWord ?? 'help').toLowerCase();
  return known.has(name) ? name : UNKNOWN_LABEL;
}

/**
 * The method of a Google Cloud call from its description (`getService projects/…/services/x` →
 * `getService`): resource names would make one series per service, revision or operation.
 */
export function googleOperationLabel(operation: string): string {
  const method = operation.split(' ', 1)[0] ?? '';
  return /^[a-z][A-Za-z]{1,40}$/.test(method) ? method : UNKNOWN_LABEL;
}

/** A Slack Web API method name such as `chat.postMessage`. */
export function slackMethodLabel(method: string): string {
  return /^[a-z]+(\.[a-zA-Z]+){1,2}$/.test(method) ? method : UNKNOWN_LABEL;
}

/**
 * A name that is one of our own constants: a queue, a job name (`diag-check`, `execute`, a check's
 * name), an error kind. A value that looks like an id or free text is folded into `unknown`.
 */
export function constantLabel(name: string | undefined): string {
  return name && /^[a-z][a-z-]{0,39}$/.test(name) ? name : UNKNOWN_LABEL;
}
