import { phaseTimeline, phaseWindow } from '../../../shared/model/phase-window';
import { formatDuration } from '../../../shared/model/incident-clock';
import { incidentFixture, milestonesAt, utc } from './fixtures/incident-fixture';

const MINUTE = 60_000;

describe('phaseWindow: the current phase against its window (offsets from detected)', () => {
  const inContainment = incidentFixture({
    phase: 'containment',
    phaseHistory: [
      { phase: 'detection', at: utc('14:02') },
      { phase: 'containment', at: utc('14:20') },
    ],
  });

  it('entering containment (15–60) at 14:20 after detection at 14:02 is 3 minutes into its window', () => {
    const w = phaseWindow(inContainment, utc('14:20'));
    expect(w).toMatchObject({
      phaseId: 'containment',
      windowStartAt: utc('14:17'),
      windowEndAt: utc('15:02'),
      enteredAt: utc('14:20'),
      elapsedInWindowMs: 3 * MINUTE,
      overdue: false,
      overdueByMs: 0,
    });
    expect(w?.fractionOfWindow).toBeCloseTo(3 / 45);
  });

  it('is still on time at the window end, 15:02, and overdue by a minute at 15:03', () => {
    expect(phaseWindow(inContainment, utc('15:02'))).toMatchObject({ overdue: false, fractionOfWindow: 1 });
    const late = phaseWindow(inContainment, utc('15:03'));
    expect(late?.overdue).toBe(true);
    expect(formatDuration(late?.overdueByMs ?? 0)).toBe('1m 00s');
    expect(late?.fractionOfWindow).toBeGreaterThan(1);
  });

  it('a phase entered before its window opens has used none of it yet', () => {
    const early = incidentFixture({ phase: 'containment', phaseHistory: [{ phase: 'containment', at: utc('14:10') }] });
    const w = phaseWindow(early, utc('14:10'));
    expect(w?.elapsedInWindowMs).toBe(-7 * MINUTE);
    expect(w?.fractionOfWindow).toBe(0);
    expect(w?.overdue).toBe(false);
  });

  it('without a detected milestone the windows count from the declaration', () => {
    const undetected = incidentFixture({ phase: 'containment', milestones: {}, declaredAt: utc('14:05') });
    expect(phaseWindow(undetected, utc('14:30'))).toMatchObject({ windowStartAt: utc('14:20'), windowEndAt: utc('15:05') });
  });

  it('follows an edited detected milestone, not the declaration', () => {
    const edited = incidentFixture({ phase: 'containment', milestones: milestonesAt({ detected: utc('13:50') }) });
    expect(phaseWindow(edited, utc('14:30'))?.windowEndAt).toBe(utc('14:50'));
  });

  it('shows the latest entry into a re-entered phase', () => {
    const reentered = incidentFixture({
      phase: 'containment',
      phaseHistory: [
        { phase: 'detection', at: utc('14:02') },
        { phase: 'containment', at: utc('14:15') },
        { phase: 'investigation', at: utc('15:00') },
        { phase: 'containment', at: utc('15:30') },
      ],
    });
    const w = phaseWindow(reentered, utc('15:40'));
    expect(w?.enteredAt).toBe(utc('15:30'));
    expect(w?.overdue).toBe(true);
    expect(formatDuration(w?.overdueByMs ?? 0)).toBe('38m 00s');
  });

  it('has no window for a phase the pinned playbook does not define', () => {
    expect(phaseWindow(incidentFixture({ phase: 'war-room' }), utc('14:30'))).toBeNull();
  });
});

describe('phaseTimeline: every phase, with visits and time spent', () => {
  const bouncedBack = incidentFixture({
    phase: 'containment',
    phaseHistory: [
      { phase: 'detection', at: utc('14:02') },
      { phase: 'containment', at: utc('14:15') },
      { phase: 'investigation', at: utc('15:00') },
      { phase: 'containment', at: utc('15:30') },
    ],
  });

  it('lists the five phases in playbook order with done, current and upcoming', () => {
    const timeline = phaseTimeline(bouncedBack, utc('16:00'));
    expect(timeline.map((p) => [p.phaseId, p.state])).toEqual([
      ['detection', 'done'],
      ['containment', 'current'],
      ['investigation', 'done'],
      ['recovery', 'upcoming'],
      ['post-incident', 'upcoming'],
    ]);
  });

  it('counts a re-entered phase twice and adds up the time of both visits', () => {
    const timeline = phaseTimeline(bouncedBack, utc('16:00'));
    const byId = Object.fromEntries(timeline.map((p) => [p.phaseId, p]));
    expect(byId.detection).toMatchObject({ visits: 1, timeSpentMs: 13 * MINUTE });
    expect(byId.containment).toMatchObject({ visits: 2, timeSpentMs: (45 + 30) * MINUTE, firstEnteredAt: utc('14:15'), lastEnteredAt: utc('15:30') });
    expect(byId.investigation).toMatchObject({ visits: 1, timeSpentMs: 30 * MINUTE });
    expect(byId.recovery).toMatchObject({ visits: 0, timeSpentMs: 0, firstEnteredAt: null });
  });

  it('shows each phase window as clock times from detection, post-incident from day 1 to day 7', () => {
    const timeline = phaseTimeline(bouncedBack, utc('16:00'));
    expect(timeline[2]).toMatchObject({ windowStartAt: utc('15:02'), windowEndAt: utc('18:02') });
    expect(timeline[4]).toMatchObject({ windowStartAt: utc('14:02', 1), windowEndAt: utc('14:02', 7) });
  });

  it('marks a phase the incident skipped past as done, with no visits', () => {
    const straightToContainment = incidentFixture({ phase: 'containment', phaseHistory: [{ phase: 'containment', at: utc('14:02') }] });
    const [detection, containment] = phaseTimeline(straightToContainment, utc('14:30'));
    expect(detection).toMatchObject({ state: 'done', visits: 0 });
    expect(containment).toMatchObject({ state: 'current', visits: 1, timeSpentMs: 28 * MINUTE });
  });
});
