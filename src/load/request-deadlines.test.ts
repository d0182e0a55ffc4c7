import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Expirable, RequestDeadlines } from './request-deadlines.ts';

class Request implements Expirable {
  isSettled = false;
  expired = false;
  expire(): void {
    this.isSettled = true;
    this.expired = true;
  }
}

describe('RequestDeadlines', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('expires what is unanswered at its deadline, in order, and leaves answered requests alone', () => {
    let now = 0;
    const deadlines = new RequestDeadlines(() => now);
    const [a, b, c] = [new Request(), new Request(), new Request()];
    deadlines.add(a, 100);
    deadlines.add(b, 150);
    deadlines.add(c, 200);
    b.isSettled = true; // answered in time
    now = 120;
    vi.advanceTimersByTime(120);
    expect([a.expired, b.expired, c.expired]).toEqual([true, false, false]);
    now = 200;
    vi.advanceTimersByTime(80);
    expect([a.expired, b.expired, c.expired]).toEqual([true, false, true]);
    deadlines.stop();
  });

  it('keeps one timer however many requests wait', () => {
    const deadlines = new RequestDeadlines(() => 0);
    for (let i = 0; i < 1_000; i++) deadlines.add(new Request(), 10_000 + i);
    expect(vi.getTimerCount()).toBe(1);
    deadlines.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
