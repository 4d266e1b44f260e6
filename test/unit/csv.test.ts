import { describe, expect, it } from 'vitest';
import { isoTime, toCsv } from '../../src/core/export/csv.js';

describe('CSV exports', () => {
  it('write RFC 4180: a header, CRLF rows, quotes where a field needs them', () => {
    expect(toCsv(['a', 'b'], [[1, 'plain'], ['with, comma', 'say "hi"'], ['two\nlines', null]])).toBe(
      'a,b\r\n1,plain\r\n"with, comma","say ""hi"""\r\n"two\nlines",\r\n',
    );
    expect(isoTime(1_790_000_000)).toBe('2026-09-21T14:13:20.000Z');
    expect(isoTime(null)).toBe('');
  });

  it('neutralise what a spreadsheet would run as a formula, and leave session ids alone', () => {
    const [, row] = toCsv(['x'], [['=HYPERLINK("http://evil")'], ['+1'], ['@SUM(A1)'], ['-2+3'], ['\tx'], ['-AbC_dEf-123'], ['a=b']]).split('\r\n').reduce(
      (acc, line, i) => (i === 0 ? acc : [acc[0], [...acc[1], line]]),
      [[], [] as string[]] as [never[], string[]],
    );
    expect(row.slice(0, 7)).toEqual(['"\'=HYPERLINK(""http://evil"")"', "'+1", "'@SUM(A1)", "'-2+3", "'\tx", '-AbC_dEf-123', 'a=b']);
  });
});
