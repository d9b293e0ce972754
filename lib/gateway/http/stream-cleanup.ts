/**
 * An async iterable whose early `return()` still runs `cleanup` when iteration never started: a
 * generator that was never pulled skips its own `finally`, and a stream's settlement must not.
 */
export function withCleanup(generator: AsyncGenerator<Uint8Array>, cleanup: () => void): AsyncIterable<Uint8Array> {
  let started = false;
  const iterator: AsyncIterator<Uint8Array> = {
    next: () => ((started = true), generator.next()),
    return: (value?: unknown) => {
      if (!started) cleanup();
      return generator.return(value as undefined);
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
