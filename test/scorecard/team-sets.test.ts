import { describe, expect, it } from 'vitest';
import { teamsInSet } from '../../src/scorecard/meetings';

/** A team set as scorecard_meeting_team_sets keeps it: ascending 4-byte big-endian ids, placed at an odd offset. */
function teamSet(ids: number[]) {
  const bytes = new Uint8Array(ids.length * 4 + 3);
  const view = new DataView(bytes.buffer, 3);
  ids.forEach((id, index) => view.setUint32(index * 4, id));
  return bytes.subarray(3);
}

describe('teamsInSet', () => {
  it('finds exactly the wanted teams a set holds, whatever their sizes and overlap', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    const ascending = (count: number, range: number) => [...new Set(Array.from({ length: count }, () => 1 + random(range)))].sort((a, b) => a - b);
    for (let round = 0; round < 500; round++) {
      const range = [3, 40, 1_000, 2 ** 32 - 2][round % 4];
      const held = ascending(random(160), range);
      const wanted = ascending(random(30), range);
      expect(teamsInSet(teamSet(held), wanted)).toEqual(wanted.filter((id) => held.includes(id)));
    }
    expect(teamsInSet(teamSet([]), [1, 2])).toEqual([]);
    expect(teamsInSet(teamSet([1, 2]), [])).toEqual([]);
    expect(teamsInSet(teamSet([2 ** 32 - 1]), [2 ** 32 - 1])).toEqual([2 ** 32 - 1]);
  });
});
