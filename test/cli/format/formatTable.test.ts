import { describe, expect, it } from 'vitest';
import { formatTable } from '../../../cli/format/formatTable.js';

describe('formatTable', () => {
  it('aligns each column to its widest cell, numbers to the right, and leaves the last cell unpadded', () => {
    expect(
      formatTable(
        [{ header: 'DAYS LEFT', align: 'right' }, { header: 'SEVERITY' }, { header: 'NAME' }],
        [
          ['2', 'critical', 'Parcel Tracker — client secret "prod"'],
          ['-14', 'low', 'Courier'],
        ],
      ),
    ).toEqual(['DAYS LEFT  SEVERITY  NAME', '        2  critical  Parcel Tracker — client secret "prod"', '      -14  low       Courier']);
  });

  it('prints the header alone for no rows', () => {
    expect(formatTable([{ header: 'A' }, { header: 'B' }], [])).toEqual(['A  B']);
  });
});
