/** Polls `predicate` until it holds; rejects after `timeoutMs` with `describe()` in the message. */
export async function waitFor(
  predicate: () => boolean,
  timeoutMs = 5000,
  describe: () => string = () => predicate.toString(),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`waitFor timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
