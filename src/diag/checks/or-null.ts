import { isNotFound } from './cannot-run';

/** Resolves to null when the resource does not exist; other failures propagate. */
export async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
