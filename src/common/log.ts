/** The structured logging the core needs; Powertools Logger satisfies it, so does `silentLog`. */
export interface Log {
  debug(message: string, ...extra: LogExtra): void;
  info(message: string, ...extra: LogExtra): void;
  warn(message: string, ...extra: LogExtra): void;
  error(message: string, ...extra: LogExtra): void;
}

/** Extra structured data of a log line: one error, or attribute objects merged into the line. */
export type LogExtra = [Error] | Record<string, unknown>[];

/** A Log that drops everything (tests, benchmarks). */
export const silentLog: Log = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
