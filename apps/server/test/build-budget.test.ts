// Build seconds per client per minute (src/compile/budget.ts).
import { describe, expect, it } from 'vitest';
import { BudgetExceededError, BuildBudget } from '../src/compile/budget.js';

describe('BuildBudget', () => {
  it('lets a client build until it used its seconds of the last minute, then says when to come back', () => {
    const b = new BuildBudget(10);
    const t0 = 1_000_000;
    b.spend('a', 4, t0);
    b.spend('a', 7, t0 + 20_000);
    expect(() => b.check('b', t0 + 21_000)).not.toThrow();
    let err: BudgetExceededError | undefined;
    try {
      b.check('a', t0 + 21_000);
    } catch (e) {
      err = e as BudgetExceededError;
    }
    expect(err?.message).toBe('you used 11 s of build time in the last minute (the budget is 10 s); try again in 39 s');
    // The 4 s are a minute old at t0 + 60 s: 7 s is under the budget again.
    expect(err?.retryAfterS).toBe(39);
    expect(() => b.check('a', t0 + 60_000)).not.toThrow();
  });

  it('0 means no budget', () => {
    const b = new BuildBudget(0);
    b.spend('a', 1000);
    expect(() => b.check('a')).not.toThrow();
  });
});
