/** The HTML export's charts: pure SVG, downsampled by min/max (spikes survive), threshold lines drawn, text escaped. */
import { metricChartSvg, CHART_HEIGHT } from '../../../shared/report/metric-chart-svg';
import type { MetricSummary } from '../../../shared/report/post-mortem';

const T0 = Date.UTC(2026, 10, 29, 14, 0, 0);
const SAMPLES = 100_000;
const SPIKE_AT = 61_234;

function metric(values: number[], title = 'Error rates'): MetricSummary {
  const samples = values.map((value, i) => ({ metric: 'error-rate', source: 'manual', t: T0 + i * 1000, value, device: 'd' }));
  return {
    metric: 'error-rate',
    title,
    unit: '%',
    count: samples.length,
    min: Math.min(...values),
    max: Math.max(...values),
    last: values[values.length - 1],
    from: samples[0].t,
    to: samples[samples.length - 1].t,
    thresholds: [{ severity: 'P1', rule: { metric: 'error-rate', comparator: '>', value: 5, unit: '%' } }],
    samples,
  };
}

const pointsOf = (svg: string): Array<[number, number]> =>
  (/points="([^"]*)"/.exec(svg)?.[1] ?? '').split(' ').map((p) => p.split(',').map(Number) as [number, number]);

describe('metricChartSvg', () => {
  it('draws 100,000 samples as a few hundred points and keeps a one-sample spike at the top', () => {
    const values = Array.from({ length: SAMPLES }, (_, i) => (i === SPIKE_AT ? 40 : 1 + (i % 7) / 10));
    const svg = metricChartSvg(metric(values));
    const points = pointsOf(svg);
    expect(points.length).toBeLessThanOrEqual(602);
    const top = Math.min(...points.map(([, y]) => y));
    expect(top).toBe(12);
  });

  it('draws each threshold as a dashed line with its label, inside the chart', () => {
    const svg = metricChartSvg(metric([0.5, 7.5, 2]));
    expect(svg).toMatch(/<line class="threshold"[^>]*stroke-dasharray/);
    expect(svg).toContain('>P1 &gt; 5 %</text>');
    for (const [, y] of pointsOf(svg)) expect(y).toBeLessThanOrEqual(CHART_HEIGHT);
  });

  it('escapes the title and holds no script', () => {
    const svg = metricChartSvg(metric([1, 2], '<script>alert(1)</script>'));
    expect(svg).not.toContain('<script');
    expect(svg).toContain('aria-label="&lt;script&gt;alert(1)&lt;/script&gt; (%)"');
  });

  it('draws a flat series without dividing by zero', () => {
    const points = pointsOf(metricChartSvg({ ...metric([3, 3, 3]), thresholds: [] }));
    for (const [x, y] of points) expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
  });
});

describe('the HTML export of a long incident', () => {
  it('renders 200,000 samples: summary from every sample, chart downsampled', async () => {
    const { incidentFixture } = await import('../model/fixtures/incident-fixture');
    const { renderHtml } = await import('../../../shared/report/html');
    const count = 200_000;
    const samples = Array.from({ length: count }, (_, i) => ({ metric: 'error-rate', source: 'manual', t: T0 + i * 1000, value: i === SPIKE_AT ? 40 : 1, device: 'd' }));
    const html = renderHtml({
      incident: incidentFixture(),
      concurrentlyChanged: [],
      roster: { people: [], roles: [] },
      checklist: [],
      tasks: [],
      timeline: [],
      samples,
      generatedAt: T0,
    });
    // The fixture playbook names no metrics: the id is the title, with no unit.
    expect(html).toContain(`<td>error-rate</td><td>${count}</td><td>1</td><td>40</td>`);
    expect(pointsOf(html).length).toBeLessThanOrEqual(602);
  });
});
