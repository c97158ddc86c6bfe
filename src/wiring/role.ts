/** `app` takes slash commands and clicks, `worker` runs jobs and posts; `all` is both in one process. */
export type Role = 'app' | 'worker' | 'all';
