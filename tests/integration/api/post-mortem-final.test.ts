/**
 * Marking the post-mortem final (issue #6 point 3): it sets the post-mortem-done milestone, which
 * closes the seed's "post-mortem completed within 7 days" validation item; refused before the
 * incident is resolved, and when it is already final.
 */
import { validationTimers } from '../../../shared/model/validation-timers';
import { expectRefused, withIncident } from '../../support/api-expect';

const DAY = 24 * 60 * 60_000;
const ITEM = 'post-mortem-completed';

const timerOf = (view: { state: Parameters<typeof validationTimers>[0] }, now: number) => validationTimers(view.state, now).find((t) => t.id === ITEM)!;

describe('incidents.markPostMortemFinal', () => {
  it('sets post-mortem done, meeting the 7-day item, and shows on the timeline', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('incidents.markPostMortemFinal', { incidentId: fx.incidentId }), 'invalid-argument', /^final: the incident is active/);
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'status', value: 'resolved' });
    const resolvedAt = fx.clock.now();
    expect(timerOf(fx.call('incidents.get', { incidentId: fx.incidentId }), resolvedAt).state).toBe('running');

    fx.clock.advance(3 * DAY);
    const view = fx.call('incidents.markPostMortemFinal', { incidentId: fx.incidentId });
    expect(view.state.postMortemFinal).toBe(true);
    expect(view.state.milestones.postMortemDone).toEqual({ at: resolvedAt + 3 * DAY, source: 'default' });
    // Judged long after, it stays met: the end milestone stopped the clock.
    expect(timerOf(view, resolvedAt + 30 * DAY)).toMatchObject({ state: 'met', endAt: resolvedAt + 3 * DAY });
    expect(fx.timeline({ kinds: ['system'] }).map((e) => e.text)).toContain('Ana marked the post-mortem final');

    expectRefused(fx.core, () => fx.call('incidents.markPostMortemFinal', { incidentId: fx.incidentId }), 'invalid-argument', 'final: the post-mortem is already final');
  });

  it('after 7 days the item is missed; marking it final late records when', () => {
    const fx = withIncident();
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'status', value: 'resolved' });
    fx.clock.advance(8 * DAY);
    expect(timerOf(fx.call('incidents.get', { incidentId: fx.incidentId }), fx.clock.now()).state).toBe('missed');
    const view = fx.call('incidents.markPostMortemFinal', { incidentId: fx.incidentId });
    expect(timerOf(view, fx.clock.now())).toMatchObject({ state: 'missed', endAt: fx.clock.now() });
  });

  it('back to draft keeps the milestone of the first time it was final', () => {
    const fx = withIncident();
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'status', value: 'resolved' });
    const first = fx.call('incidents.markPostMortemFinal', { incidentId: fx.incidentId }).state.milestones.postMortemDone;
    fx.clock.advance(DAY);
    const draft = fx.call('incidents.markPostMortemFinal', { incidentId: fx.incidentId, final: false });
    expect(draft.state.postMortemFinal).toBe(false);
    expect(draft.state.milestones.postMortemDone).toEqual(first);
  });
});
