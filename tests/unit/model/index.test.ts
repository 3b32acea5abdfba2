import * as model from '../../../shared/model';

describe('shared/model index', () => {
  it('offers every clock the console shows from one import', () => {
    for (const name of [
      'phaseWindow',
      'phaseTimeline',
      'validationTimers',
      'nextUpdateDue',
      'rtoCountdowns',
      'tightestRto',
      'rpoPrompts',
      'regulatoryClock',
      'incidentAge',
      'formatDuration',
      'responseTimes',
      'responseMetricsByMonth',
      'reviewMetrics',
      'INCIDENT_STATUSES',
    ]) {
      expect(model).toHaveProperty(name);
    }
  });
});
