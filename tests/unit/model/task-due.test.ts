import { isOverdue, overdueByMs } from '../../../shared/model/task-due';
import { utc } from './fixtures/incident-fixture';

describe('task due rule', () => {
  it('an open task past its due time is overdue by the difference', () => {
    expect(isOverdue({ state: 'open', dueAt: utc('14:30') }, utc('14:31'))).toBe(true);
    expect(overdueByMs({ state: 'open', dueAt: utc('14:30') }, utc('14:32:05'))).toBe(125_000);
  });
  it('at its due time, done, cancelled or without a due time it is not', () => {
    expect(isOverdue({ state: 'open', dueAt: utc('14:30') }, utc('14:30'))).toBe(false);
    expect(isOverdue({ state: 'done', dueAt: utc('14:30') }, utc('15:00'))).toBe(false);
    expect(isOverdue({ state: 'cancelled', dueAt: utc('14:30') }, utc('15:00'))).toBe(false);
    expect(overdueByMs({ state: 'open', dueAt: null }, utc('15:00'))).toBeNull();
  });
});
