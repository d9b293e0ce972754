// The part of autocannon's (8.x) programmatic API the load generator uses. autocannon ships no
// types of its own and @types/autocannon describes 7.x, so this small declaration stands in.
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  namespace autocannon {
    interface Options {
      url: string;
      method?: string;
      body?: string | Buffer;
      headers?: Record<string, string>;
      connections?: number;
      pipelining?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds. */
      timeout?: number;
      /** Milliseconds between autocannon's own samples (and stop checks). */
      sampleInt?: number;
      /** Called with every client (one per connection) as it is created. */
      setupClient?: (client: Client) => void;
    }

    /** One connection's client. `responseMax`: it stops (cleanly, nothing in flight) once it has made this many requests. */
    interface Client extends EventEmitter {
      reqsMade: number;
      responseMax?: number;
      destroyed: boolean;
    }

    interface Result {
      errors: number;
      timeouts: number;
      non2xx: number;
      resets: number;
      mismatches: number;
      totalRequests: number;
      totalCompletedRequests: number;
      statusCodeStats: Record<string, { count: number }>;
    }

    interface Instance extends EventEmitter {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options, callback: (error: Error | null, result: autocannon.Result) => void): autocannon.Instance;
  export = autocannon;
}
