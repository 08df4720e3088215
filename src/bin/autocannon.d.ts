// The part of autocannon's programmatic API the ledger benchmark uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Histogram {
      average: number;
      p50: number;
      p99: number;
      total: number;
    }
    interface Result {
      requests: Histogram;
      latency: Histogram;
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
    }
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** A function, or with `workers` an absolute path to a CommonJS file exporting one. */
      setupRequest?: string | ((req: Request, context: Record<string, unknown>) => Request);
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      workers?: number;
      initialContext?: Record<string, unknown>;
      requests?: Request[];
    }
  }
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
