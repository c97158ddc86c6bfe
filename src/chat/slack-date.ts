/**
 * A time for Slack: `<!date^…>` shows it in each reader's own time zone; the fallback (UTC) is what
 * clients that cannot render the token, and the shell, show.
 */
export function slackDate(iso: string | Date, format = '{date_short_pretty} {time_secs}'): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  const epoch = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return `<!date^${epoch}^${format}|${fallback}>`;
}
