// CSV for the exports (RFC 4180, UTF-8, CRLF), written to the response as rows are read.
// Exports: ledger.csv (exports/ledger-export.service.ts) and receipts.csv (receipts/receipts-export.service.ts), both through csvBody.
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { LongReadLease } from '../database/long-reads.js';

export type CsvValue = string | number | bigint | boolean | null | undefined;

/** A spreadsheet treats a cell starting with one of these as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A plain decimal number: no spreadsheet reads it as anything but that number, so "-17500" stays as it is. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Neutralises a text cell a spreadsheet would run as a formula: one starting with `=`,
 * `+`, `-`, `@`, a tab or a carriage return gets a leading single quote (OWASP "CSV
 * injection"). Plain numbers such as "-17500" are left alone.
 */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** RFC 4180: a cell holding a comma, a double quote, CR or LF is quoted, with quotes doubled. */
export function quoteCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One cell as written: empty for null/undefined, numbers as digits, text neutralised then quoted. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('a CSV number must be finite');
  return quoteCell(neutralizeCell(String(value)));
}

/** One record, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** A file name safe inside `Content-Disposition: attachment; filename="…"`. */
export function csvFileName(...parts: string[]): string {
  return `${parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;
}

/** The headers of a CSV download; set before the first byte is written. */
export function csvDownloadHeaders(fileName: string): Record<string, string> {
  return {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${fileName}"`,
    // Ledger data: no shared cache may keep a copy.
    'Cache-Control': 'no-store',
  };
}

/** How long a client may leave the response unread before the export is abandoned. */
export const CSV_DRAIN_TIMEOUT_MS = 60_000;

/**
 * Writes a header and then batches of rows to a stream (an HTTP response), waiting for
 * the stream to drain whenever it says its buffer is full, so an export of any size holds
 * one batch in memory. Rejects when the client goes away or stops reading for
 * `drainTimeoutMs`, so the caller can stop reading rows and release its cursor.
 */
export class CsvWriter {
  private readonly width: number;
  private pending: string;

  constructor(
    private readonly out: Writable,
    columns: readonly string[],
    private readonly drainTimeoutMs = CSV_DRAIN_TIMEOUT_MS,
  ) {
    this.width = columns.length;
    this.pending = csvLine(columns);
  }

  /** Queues rows and writes them (with the header, the first time) as one chunk. */
  async writeRows(rows: readonly (readonly CsvValue[])[]): Promise<void> {
    let chunk = this.pending;
    this.pending = '';
    for (const row of rows) {
      if (row.length !== this.width) throw new RangeError(`a CSV row needs ${this.width} cells, got ${row.length}`);
      chunk += csvLine(row);
    }
    if (chunk) await this.write(chunk);
  }

  /** Writes anything still queued (the header of an empty export) and ends the stream. */
  async end(): Promise<void> {
    if (this.pending) await this.write(this.pending);
    this.pending = '';
    await new Promise<void>((resolve) => this.out.end(resolve));
  }

  private async write(chunk: string): Promise<void> {
    if (this.out.destroyed || this.out.writableEnded) throw new Error('the client closed the connection');
    if (this.out.write(chunk, 'utf8')) return;
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.out.off('drain', onDrain);
        this.out.off('close', onClose);
        this.out.off('error', done);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new Error('the client closed the connection'));
      const timer = setTimeout(() => done(new Error('the client stopped reading')), this.drainTimeoutMs);
      this.out.on('drain', onDrain);
      this.out.on('close', onClose);
      this.out.on('error', done);
    });
  }
}

/** A CSV download a controller sends: its headers, then the body as it streams. */
export interface CsvDownload {
  headers: Record<string, string>;
  body: Readable;
}

/**
 * The body of a CSV download: `columns`, then the rows of `first` (a batch the caller has
 * already read, so that a failure there was still an ordinary problem response) and of
 * every batch `rest` yields, written with back-pressure so one batch at a time is held.
 * A failure once rows flow can only cut the download short: `rest` is closed (releasing
 * its cursor), the stream is destroyed and the client sees an incomplete response, never
 * a whole-looking file. The same happens when the client goes away. `onEnd` runs last,
 * however the download ended.
 */
export function csvBody<T>(
  columns: readonly string[],
  first: IteratorResult<T[]>,
  rest: AsyncGenerator<T[]>,
  toRow: (item: T) => readonly CsvValue[],
  onCutShort: (error: unknown) => void,
  onEnd?: () => Promise<void>,
): Readable {
  const out = new PassThrough();
  const writer = new CsvWriter(out, columns);
  void (async () => {
    try {
      if (!first.done) {
        await writer.writeRows(first.value.map(toRow));
        for await (const batch of rest) await writer.writeRows(batch.map(toRow));
      }
      await writer.end();
    } catch (error) {
      await rest.return(undefined).catch(() => undefined);
      out.destroy(error instanceof Error ? error : new Error('the export failed'));
      onCutShort(error);
    } finally {
      await onEnd?.().catch(onCutShort);
    }
  })();
  return out;
}

/**
 * csvBody on a long read's connection (src/database/long-reads.ts): `batches` reads through
 * `lease`, and the lease is released when the download ends — complete, failed, or cut
 * short because the client went away — or when the first batch fails, which is then
 * thrown for an ordinary problem response.
 */
export async function csvBodyOnLease<T>(
  lease: LongReadLease,
  columns: readonly string[],
  batches: AsyncGenerator<T[]>,
  toRow: (item: T) => readonly CsvValue[],
  onCutShort: (error: unknown) => void,
): Promise<Readable> {
  let first: IteratorResult<T[]>;
  try {
    first = await batches.next();
  } catch (error) {
    await lease.release();
    throw error;
  }
  return csvBody(columns, first, batches, toRow, onCutShort, () => lease.release());
}
