import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { expectMove, lostRace, type Moves } from '../../src/common/state-machine.js';

type Status = 'draft' | 'open' | 'closed';
const MOVES: Moves<'open' | 'close', Status> = {
  open: { from: ['draft'], to: 'open' },
  close: { from: ['draft', 'open'], to: 'closed' },
};

describe('the state machine shape (src/common/state-machine.ts)', () => {
  it('lets a move start from a state its table lists and says where it leads', () => {
    expect(expectMove('thing', MOVES, 'open', 'draft')).toEqual({ from: ['draft'], to: 'open' });
    expect(expectMove('thing', MOVES, 'close', 'open').to).toBe('closed');
  });

  it('refuses any other start with 409 invalid-state naming the current state', () => {
    expect.assertions(3);
    try {
      expectMove('thing', MOVES, 'open', 'closed');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'invalid-state', extra: { state: 'closed' } });
      expect((error as DomainError).detail).toBe('The thing is closed: open needs the thing to be draft.');
    }
  });

  it('answers a lost race the same way, with the state a fresh read found', () => {
    expect(lostRace('thing', 'open')).toMatchObject({ code: 'invalid-state', extra: { state: 'open' } });
  });
});
