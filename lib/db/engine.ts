// Prisma's schema engine compiled to WebAssembly, driven through the driver adapters. The Prisma 7
// CLI only knows the native engine binary, which cannot be downloaded offline; this is the same
// engine code, so migration folders and the _prisma_migrations table stay exactly Prisma's.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

export type { SchemaEngine };

type EngineClass = typeof SchemaEngine;

// The engine races some operations against 10 s timers it never clears; left alone they keep a
// finished CLI process alive for 10 s. They are tracked and cleared once no engine is running.
const engineTimers = new Set<ReturnType<typeof setTimeout>>();
let runningEngines = 0;

function trackedSetTimeout(callback: () => void, ms: number): ReturnType<typeof setTimeout> {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

function engineStopped(): void {
  runningEngines -= 1;
  if (runningEngines > 0) return;
  for (const timer of engineTimers) clearTimeout(timer);
  engineTimers.clear();
}

let engineClass: Promise<EngineClass> | undefined;

// wasm-bindgen's "bundler" output imports the .wasm as an ES module, which Node 20 cannot do, so
// instantiate it by hand. Only once per process: a second instance of the module crashes.
function loadEngineClass(): Promise<EngineClass> {
  engineClass ??= (async () => {
    const runtime = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const require = createRequire(path.join(/*turbopackIgnore: true*/ process.cwd(), "package.json"));
    const wasmFile = path.join(
      path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")),
      "schema_engine_bg.wasm",
    );
    const module = new WebAssembly.Module(await readFile(wasmFile));
    const imports: Record<string, unknown> = { ...runtime };
    const setTimeoutImport = Object.keys(imports).find((key) => key.startsWith("__wbg_setTimeout_"));
    if (setTimeoutImport) imports[setTimeoutImport] = trackedSetTimeout;
    const instance = new WebAssembly.Instance(module, {
      "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
    });
    (runtime as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void }).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return runtime.SchemaEngine;
  })();
  // A failed load (say, a missing package) should not be cached for the life of the process.
  engineClass.catch(() => {
    engineClass = undefined;
  });
  return engineClass;
}

/**
 * Runs `fn` with a schema engine connected through `factory`, then frees it. Errors raised inside
 * the adapters come back from the engine as opaque ids; they are swapped for the original error.
 */
export async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: SchemaEngine) => Promise<T>,
  datamodels?: [string, string][],
): Promise<T> {
  const Engine = await loadEngineClass();
  const tracked = trackConnections(factory);
  const bound = bindMigrationAwareSqlAdapterFactory(tracked.factory);
  const debug = process.env.ROOTAPI_DEBUG_SCHEMA_ENGINE ? (line: string) => console.error(line) : () => {};
  runningEngines += 1;
  let engine: SchemaEngine | undefined;
  let result: T;
  try {
    engine = await Engine.new({ datamodels }, debug, bound);
    result = await fn(engine);
  } catch (error) {
    engine?.free();
    // The original error matters more than a failed cleanup.
    await tracked.disposeAll().catch(() => {});
    engineStopped();
    throw unwrapEngineError(error, bound.errorRegistry);
  }
  engine.free();
  try {
    await tracked.disposeAll();
  } finally {
    engineStopped();
  }
  return result;
}

// Freeing the engine does not dispose the connections it opened; left open, pools keep the
// process alive and scratch databases would never be dropped.
function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    open.add(adapter);
    return {
      provider: adapter.provider,
      adapterName: adapter.adapterName,
      queryRaw: (query) => adapter.queryRaw(query),
      executeRaw: (query) => adapter.executeRaw(query),
      executeScript: (script) => adapter.executeScript(script),
      startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
      ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
      dispose: async () => {
        if (open.delete(adapter)) await adapter.dispose();
      },
    };
  };
  return {
    factory: {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => track(await factory.connect()),
      connectToShadowDb: async () => track(await factory.connectToShadowDb()),
    } satisfies SqlMigrationAwareDriverAdapterFactory,
    disposeAll: async () => {
      const adapters = [...open];
      open.clear();
      const results = await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}

function unwrapEngineError(error: unknown, registry: ErrorRegistry): Error {
  let wrapped: Error;
  if (error instanceof Error) {
    wrapped = error;
  } else {
    // The engine may also reject with plain { code, message } objects.
    const object = (error ?? {}) as { code?: string; message?: string };
    wrapped = new Error(object.message ?? `schema engine error: ${JSON.stringify(error)}`);
    if (object.code) Object.assign(wrapped, { code: object.code });
  }
  // Errors thrown inside the adapters reach the engine only as "External error id#N".
  wrapped.message = wrapped.message.replace(/External error id#(\d+)/g, (text, id: string) => {
    const original = registry.consumeError(Number(id))?.error;
    if (original === undefined) return text;
    return `${text}: ${original instanceof Error ? original.message : String(original)}`;
  });
  return wrapped;
}
