/**
 * Creates a collection's indexes on first use rather than at start-up, once per instance; if
 * creating them fails, the next call tries again.
 */
export function indexesOnFirstUse(create: () => Array<Promise<void>>): () => Promise<void> {
  let created: Promise<void> | null = null;
  return () => {
    created ??= Promise.all(create()).then(
      () => undefined,
      (error: unknown) => {
        created = null;
        throw error;
      },
    );
    return created;
  };
}
