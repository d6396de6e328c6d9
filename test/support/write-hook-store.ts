import type { Collection, Document, DocumentStore } from '../../services/store/port';

/** The store port's methods that write. */
export const STORE_WRITES: ReadonlySet<string> = new Set(['insertOne', 'updateOne', 'updateMany', 'findOneAndUpdate', 'deleteOne', 'deleteMany']);

/**
 * `inner`, with every write passed through `beforeWrite` first (to refuse it, hold it or let it
 * through); reads go straight through. For tests of a store that is down, slow or flaky.
 */
export function storeWithWriteHook(
  inner: DocumentStore,
  beforeWrite: (collection: string, method: string, args: unknown[]) => Promise<void>,
): DocumentStore {
  return {
    kind: inner.kind,
    ping: () => inner.ping(),
    close: () => inner.close(),
    collection<T extends Document>(name: string): Collection<T> {
      const real = inner.collection<T>(name);
      return new Proxy(real, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (typeof value !== 'function') return value;
          const call = (args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
          if (!STORE_WRITES.has(String(property))) return (...args: unknown[]) => call(args);
          return async (...args: unknown[]) => {
            await beforeWrite(name, String(property), args);
            return call(args);
          };
        },
      });
    },
  };
}
