const LOOK_EVERY_MS = 100;
/** A finishing job may still be handing its message to the outbox: one quiet look is not enough. */
const QUIET_LOOKS = 3;

/** Resolves true once `isIdle` answers true three looks in a row, false when `timeoutMs` runs out. */
export async function waitUntilIdle(isIdle: () => Promise<boolean>, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    quiet = (await isIdle()) ? quiet + 1 : 0;
    if (quiet >= QUIET_LOOKS) return true;
    await new Promise((resolve) => setTimeout(resolve, LOOK_EVERY_MS));
  }
  return false;
}
