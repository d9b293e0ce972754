import { countDatabaseError } from "./metrics";

/**
 * The gateway's store with every failed call counted in rootapi_database_errors_total, labelled
 * with the method's name (a fixed set: the store's interface). One place instead of a counter at
 * each call site; the failure itself still reaches the caller unchanged.
 */
export function countingDatabaseErrors<T extends object>(store: T): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function" || typeof property !== "string") return value;
      let counted = wrapped.get(property);
      if (!counted) {
        const method = value as (...args: unknown[]) => unknown;
        counted = (...args: unknown[]) => {
          let result: unknown;
          try {
            result = method.apply(target, args);
          } catch (error) {
            countDatabaseError(property);
            throw error;
          }
          if (result instanceof Promise) {
            return result.catch((error: unknown) => {
              countDatabaseError(property);
              throw error;
            });
          }
          return result;
        };
        wrapped.set(property, counted);
      }
      return counted;
    },
  });
}
