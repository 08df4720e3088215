import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { csvCell, csvFileName, csvLine, CsvWriter, neutralizeCell, quoteCell } from '../../src/transparency/csv.js';

describe('CSV cells', () => {
  it.each(['=1+1', '+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', '=HYPERLINK("http://x","y")', '-', '-1e3', '- 5'])('neutralises %j with a leading quote', (value) => {
    expect(neutralizeCell(value)).toBe(`'${value}`);
  });

  it.each(['cash box', 'week 3 = paid', 'a@b', '17500', '175.00', '0', ''])('leaves %j alone', (value) => {
    expect(neutralizeCell(value)).toBe(value);
  });

  it('leaves plain negative numbers alone: a spreadsheet reads them as numbers, not formulas', () => {
    expect(neutralizeCell('-17500')).toBe('-17500');
    expect(neutralizeCell('-175.00')).toBe('-175.00');
  });

  it('quotes cells with commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(quoteCell('a,b')).toBe('"a,b"');
    expect(quoteCell('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCell('two\nlines')).toBe('"two\nlines"');
    expect(quoteCell('plain')).toBe('plain');
  });

  it('neutralises before quoting, so the quote sits inside the quoted cell', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
  });

  it('writes numbers and bigints as digits and null as an empty cell', () => {
    expect(csvLine([17500, 12345678901234567890n, null, undefined, 'x'])).toBe('17500,12345678901234567890,,,x\r\n');
    expect(csvLine([-17500])).toBe('-17500\r\n');
  });

  it('makes file names safe for Content-Disposition', () => {
    expect(csvFileName('arvut-ledger', 'a"b/c', '2026-03-06')).toBe('arvut-ledger-a_b_c-2026-03-06.csv');
  });
});

describe('CsvWriter', () => {
  const collect = (stream: PassThrough): Promise<string> =>
    new Promise((resolve) => {
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString('utf8')));
      stream.on('end', () => resolve(text));
    });

  it('writes the header, then the rows, and ends the stream', async () => {
    const out = new PassThrough();
    const text = collect(out);
    const writer = new CsvWriter(out, ['a', 'b']);
    await writer.writeRows([['1', '=2']]);
    await writer.writeRows([[3, null]]);
    await writer.end();
    expect(await text).toBe("a,b\r\n1,'=2\r\n3,\r\n");
  });

  it('writes the header of an export with no rows', async () => {
    const out = new PassThrough();
    const text = collect(out);
    await new CsvWriter(out, ['a', 'b']).end();
    expect(await text).toBe('a,b\r\n');
  });

  it('refuses a row of the wrong width', async () => {
    const writer = new CsvWriter(new PassThrough(), ['a', 'b']);
    await expect(writer.writeRows([['only one']])).rejects.toThrow(RangeError);
  });

  it('waits for a full stream to drain, and gives up when the reader stops reading', async () => {
    const out = new PassThrough({ highWaterMark: 8 });
    const writer = new CsvWriter(out, ['column'], 50);
    await expect(writer.writeRows([['a long enough row to fill the buffer']])).rejects.toThrow('the client stopped reading');
  });

  it('stops when the reader goes away', async () => {
    const out = new PassThrough({ highWaterMark: 8 });
    const writer = new CsvWriter(out, ['column'], 10_000);
    const pending = writer.writeRows([['a long enough row to fill the buffer']]);
    out.destroy();
    await expect(pending).rejects.toThrow('the client closed the connection');
    await expect(writer.writeRows([['more']])).rejects.toThrow('the client closed the connection');
  });
});
