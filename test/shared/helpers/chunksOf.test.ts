import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../../shared/helpers/chunksOf.js';

describe('chunksOf', () => {
  it('splits items into runs of the size, in order, the last one shorter', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([1, 2], 2)).toEqual([[1, 2]]);
    expect(chunksOf([], 100)).toEqual([]);
  });
});
