declare module 'autocannon' {
  /** The subset of autocannon's options and result the benchmark uses. */
  interface Options {
    url: string;
    connections?: number;
    overallRate?: number;
    duration?: number;
  }
  interface Result {
    requests: { total: number };
    latency: { p50: number; p99: number };
    errors: number;
    non2xx: number;
  }
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
