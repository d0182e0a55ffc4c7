import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { JSONParser } from '@streamparser/json';
import { UsageError } from '../common/usage-error.ts';
import { kindOfRoute } from './route-kinds.ts';
import { inputError, StepCounts } from './step-counts.ts';

const months: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

/** `$context.requestTime` (`27/Nov/2026:08:05:09 +0000`) as epoch ms; NaN when it is not that format. */
export function parseClfTime(text: string): number {
  const m = /^(\d\d)\/([A-Z][a-z]{2})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(text);
  const month = m ? months[m[2] as string] : undefined;
  if (!m || month === undefined) return Number.NaN;
  const offsetMs = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60_000;
  return Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - offsetMs;
}

/** Reads access-log records into per-second counts: the stage and time checks, one record at a time. */
class RecordReader {
  readonly counts = new StepCounts(1_000);
  private stage: { name: string; where: string } | undefined;
  // A second's requests share one requestTime text: parse it once.
  private lastTimeText = '';
  private lastTimeMs = Number.NaN;

  record(raw: unknown, file: string, position: string, fallbackTimeMs?: number): void {
    if (typeof raw !== 'object' || raw === null) throw inputError(file, position, 'not an access-log record (a JSON object)');
    const r = raw as Record<string, unknown>;
    const method = r.httpMethod;
    const resourcePath = r.resourcePath;
    if (typeof method !== 'string' || typeof resourcePath !== 'string')
      throw inputError(
        file,
        position,
        'no httpMethod and resourcePath: the stage’s format needs $context.httpMethod and $context.resourcePath',
      );
    const timeMs = this.timeOf(r, fallbackTimeMs);
    if (!Number.isFinite(timeMs))
      throw inputError(file, position, 'no time: the format needs $context.requestTime or $context.requestTimeEpoch');
    if (typeof r.stage === 'string' && r.stage !== '-') {
      if (!this.stage) this.stage = { name: r.stage, where: `${file} ${position}` };
      else if (this.stage.name !== r.stage)
        throw inputError(
          file,
          position,
          `stage ${r.stage} mixed with stage ${this.stage.name} (${this.stage.where}): give one stage’s logs`,
        );
    }
    const kind = kindOfRoute(method, resourcePath);
    if (kind) this.counts.add(timeMs, kind);
    else this.counts.addUnknown(`${method} ${resourcePath === '-' ? '(no route)' : resourcePath}`);
  }

  private timeOf(r: Record<string, unknown>, fallbackTimeMs: number | undefined): number {
    const epoch = Number(r.requestTimeEpoch);
    if (r.requestTimeEpoch !== undefined && Number.isFinite(epoch)) return epoch;
    if (typeof r.requestTime === 'string') {
      if (r.requestTime !== this.lastTimeText) {
        this.lastTimeText = r.requestTime;
        this.lastTimeMs = parseClfTime(r.requestTime);
      }
      return this.lastTimeMs;
    }
    return fallbackTimeMs ?? Number.NaN;
  }
}

/**
 * Counts the requests of API Gateway access logs in the stack's JSON format, per second and request kind. A file is
 * either one JSON object a line (the log group's messages as they are) or what `aws logs filter-log-events` prints
 * (`{"events": [{"timestamp", "message"}]}`, each message an access-log line). Both are streamed: a day of logs
 * never sits in memory whole.
 */
export async function readAccessLogs(files: readonly string[]): Promise<StepCounts> {
  const reader = new RecordReader();
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    let lineNumber = 0;
    let pending: { text: string; line: number } | undefined;
    try {
      for await (const line of lines) {
        lineNumber++;
        if (lineNumber === 1 && isDocumentStart(line)) {
          lines.close();
          await readEventsDocument(file, reader);
          pending = undefined;
          break;
        }
        if (pending) parseLine(pending.text, file, pending.line, reader, false);
        pending = line.trim() === '' ? undefined : { text: line, line: lineNumber };
      }
      // The last line is the one a cut-off export truncates.
      if (pending) parseLine(pending.text, file, pending.line, reader, true);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw inputError(file, undefined, 'no such file');
      throw error;
    }
  }
  return reader.counts;
}

function isDocumentStart(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '{' || trimmed.startsWith('{"events"') || trimmed.startsWith('{ "events"')) return true;
  return false;
}

function parseLine(text: string, file: string, line: number, reader: RecordReader, last: boolean): void {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw inputError(file, `line ${line}`, last ? 'truncated JSON (the file ends inside a record)' : 'not JSON');
  }
  reader.record(raw, file, `line ${line}`);
}

/** `aws logs filter-log-events` output: one document, each event's message an access-log line, parsed event by event. */
async function readEventsDocument(file: string, reader: RecordReader): Promise<void> {
  const parser = new JSONParser({ paths: ['$.events.*'], keepStack: false });
  let index = 0;
  let characters = 0;
  parser.onValue = ({ value }) => {
    const where = `events[${index}]`;
    index++;
    const message = (value as { message?: unknown } | null)?.message;
    const timestamp = (value as { timestamp?: unknown } | null)?.timestamp;
    if (typeof message !== 'string') throw inputError(file, where, 'no message');
    let raw: unknown;
    try {
      raw = JSON.parse(message);
    } catch {
      throw inputError(file, where, 'its message is not a JSON access-log line');
    }
    reader.record(raw, file, where, typeof timestamp === 'number' ? timestamp : undefined);
  };
  const malformed = () => inputError(file, `at character ${characters}`, `truncated or malformed JSON (after events[${index - 1}])`);
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
      parser.write(chunk as string);
      characters += (chunk as string).length;
    }
    // The parser ends by itself when the document closes; a file that stops inside it is truncated.
    if (!parser.isEnded) parser.end();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw malformed();
  }
  if (!parser.isEnded) throw malformed();
  if (index === 0) throw inputError(file, undefined, 'no "events" in it: not aws logs filter-log-events output, or no requests');
}
